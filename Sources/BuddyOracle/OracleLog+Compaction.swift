import BuddyCore

/// The compaction state of one zone as a state lists it (PROTOCOL.md, "compaction"): the
/// `compact_*` fields of `struct zone` (`compaction ZONE migrate_async=… migrate_sync=… free=…
/// init_migrate=… init_free=… considered=… defer_shift=… order_failed=… flush=…`) and the
/// pageblocks' PB_migrate_skip bits (`skip ZONE 0xSTART 0101…`, one character per pageblock as
/// `pageblocks` has them, `-` where the block has no memmap). Logs from drivers before these
/// records have none; then nothing of this is compared.
public struct OracleZoneCompaction: Sendable, Equatable {
    /// Index of the zone in the header's order.
    public var zone: Int
    public var fields: ZoneCompaction?
    /// The first pageblock's pfn and one bit per pageblock (nil: `-`, no memmap).
    public var skipStart: Int
    public var skip: [Bool?]

    public init(zone: Int, fields: ZoneCompaction? = nil, skipStart: Int = 0, skip: [Bool?] = []) {
        self.zone = zone; self.fields = fields; self.skipStart = skipStart; self.skip = skip
    }
}

extension OracleLogParser {
    static let compactionKeys = ["migrate_async", "migrate_sync", "free", "init_migrate", "init_free",
                                 "considered", "defer_shift", "order_failed", "flush"]

    /// `compaction ZONE migrate_async=P migrate_sync=P free=P init_migrate=P init_free=P
    /// considered=N defer_shift=N order_failed=N flush=0|1`.
    func parseCompactionFields(_ t: [Substring], line: Int) throws(OracleLogError) -> ZoneCompaction {
        let v = try keyed(t, from: 2, Self.compactionKeys, line: line)
        guard v[8] <= 1 else { throw fail("'flush=' is 0 or 1", line: line, at: t[10]) }
        var c = ZoneCompaction()
        c.cachedMigratePfn = (v[0], v[1])
        c.cachedFreePfn = v[2]
        c.initMigratePfn = v[3]
        c.initFreePfn = v[4]
        c.considered = v[5]
        c.deferShift = v[6]
        c.orderFailed = v[7]
        c.blockskipFlush = v[8] == 1
        return c
    }

    /// `skip ZONE 0xSTART BITS`: one of `0`, `1`, `-` per pageblock.
    func parseSkipBits(_ t: [Substring], blocks limit: Int, pageblockPages pb: Int, line: Int) throws(OracleLogError) -> (Int, [Bool?]) {
        guard t.count == 4 else { throw fail("'skip' needs a start pfn and one character per pageblock", line: line) }
        let start = try number(t[2], "pageblock start", line: line)
        guard start % pb == 0 else { throw fail("skip start \(t[2]) is not pageblock aligned", line: line, at: t[2]) }
        guard t[3].utf8.count <= limit else { throw fail("\(t[3].utf8.count) skip bits for \(limit) pageblocks", line: line, at: t[3]) }
        var bits: [Bool?] = []
        bits.reserveCapacity(t[3].utf8.count)
        for (k, c) in t[3].utf8.enumerated() {
            switch c {
            case UInt8(ascii: "0"): bits.append(false)
            case UInt8(ascii: "1"): bits.append(true)
            case UInt8(ascii: "-"): bits.append(nil)
            default: throw fail("skip bit '\(Character(Unicode.Scalar(c)))' at position \(k) is none of 0 1 -", line: line, at: t[3].dropFirst(k))
            }
        }
        return (start, bits)
    }
}

extension Lockstep {
    /// The kernel's compaction state after a command against the simulator's: cached scanner
    /// positions, deferral and skip bits (what the next direct compaction starts from). Nothing
    /// when the log has no `compaction` records.
    static func compactionDifferences(_ s: OracleState, _ model: any KernelModel) -> [StateDifference] {
        var out: [StateDifference] = []
        for k in s.compaction {
            let sim = model.compactionView(zone: k.zone, skipStart: k.skipStart, blocks: k.skip.count)
            if let kf = k.fields, kf != sim.fields {
                out.append(StateDifference(kind: .compaction, kernel: render(kf), simulator: render(sim.fields),
                                           what: "zone \(k.zone) compaction state (compact_cached_*, deferral)"))
            }
            for (i, bit) in k.skip.enumerated() {
                guard let bit, i < sim.skip.count, bit != sim.skip[i] else { continue }
                let pfn = k.skipStart + i * model.geometry.pageblockPages
                out.append(StateDifference(kind: .compaction, pfn: pfn, kernel: bit ? "skip" : "no skip",
                                           simulator: sim.skip[i] ? "skip" : "no skip",
                                           what: "PB_migrate_skip of the pageblock at \(hexString(pfn))"))
                break   // the first differing block says enough
            }
        }
        return out
    }

    static func render(_ c: ZoneCompaction) -> String {
        "migrate \(hexString(c.cachedMigratePfn.async))/\(hexString(c.cachedMigratePfn.sync)) free \(hexString(c.cachedFreePfn))"
            + " init \(hexString(c.initMigratePfn))/\(hexString(c.initFreePfn)) considered \(c.considered)"
            + " defer_shift \(c.deferShift) order_failed \(c.orderFailed) flush \(c.blockskipFlush ? 1 : 0)"
    }
}
