import BuddyCore

/// The simulator's per-cpu pagesets in the oracle's terms: what `pcpset`, `pcp` and `pcpmt`
/// records would say about it (scripts/oracle/PROTOCOL.md).
public struct PCPView: Sendable {
    public var sets: [OraclePCPSet]
    /// Non-empty lists, head first, in the kernel's list order (cpu, then `pindex`).
    public var lists: [(cpu: Int, order: Int, list: MigrateType, pfns: [Int])]
    /// Each non-empty list's cached migratetypes (≤ 6.9 models; empty otherwise).
    public var cached: [OraclePCPCached]
    public init(sets: [OraclePCPSet], lists: [(cpu: Int, order: Int, list: MigrateType, pfns: [Int])], cached: [OraclePCPCached]) {
        self.sets = sets; self.lists = lists; self.cached = cached
    }
}

extension SimulatedKernel {
    /// `--pcp` import (a log whose batch says `pcp=on`): the model needs a pcp model; the
    /// zone-wide sizes come from its own `zone_pcp_update`, then each CPU's lists (blocks at
    /// their pfns, in list order, with the cached migratetype of `pcpmt` when the log has it)
    /// and the set's counters. User-Mode Linux has one CPU: the machine is built with one.
    static func importPCP(_ m: Machine<S>, _ s: OracleState) throws(ImportError) {
        guard S.Era.pcp != .none else {
            throw ImportError("the log was taken with per-cpu lists on (--pcp) and this variant has no pcp model (use a v6.x variant, or run without --pcp)")
        }
        guard !s.pcpSets.isEmpty else {
            throw ImportError("the log was taken with per-cpu lists on but has no 'pcpset' records (a driver older than PROTOCOL.md's pcpset): the pagesets cannot be imported exactly")
        }
        m.pcpUpdateAll()
        for p in s.pcp {
            let cached = s.pcpCached.first { $0.cpu == p.cpu && $0.order == p.order && $0.list == p.list }?.types
            try m.importPCPList(cpu: p.cpu, order: p.order, list: p.list, pfns: p.pfns, cached: cached)
        }
        for set in s.pcpSets { try m.importPCPSet(cpu: set.cpu, fields: set.fields) }
    }

    func pcpView() -> PCPView? {
        guard S.Era.pcp != .none, m.layout.perCPUListsEnabled else { return nil }
        var v = PCPView(sets: [], lists: [], cached: [])
        for cpu in 0..<m.layout.cpus {
            v.sets.append(OraclePCPSet(cpu: cpu, fields: m.pcpSetFields(cpu: cpu, zone: 0)))
            for pindex in 0..<PerCPUPages.lists {
                let pfns = m.pcpListContents(cpu: cpu, zone: 0, pindex: pindex)
                guard !pfns.isEmpty else { continue }
                let order = PerCPUPages.order(ofPindex: pindex, pageblockOrder: m.geometry.pageblockOrder)
                let list = MigrateType(rawValue: UInt8(pindex % PerCPUPages.pcpTypes)) ?? .movable
                v.lists.append((cpu, order, list, pfns))
                if S.FreeLists.pcpCachesMigratetype {
                    v.cached.append(OraclePCPCached(cpu: cpu, order: order, list: list,
                                                    types: m.pcpCachedTypes(cpu: cpu, zone: 0, pindex: pindex)))
                }
            }
        }
        return v
    }
}
