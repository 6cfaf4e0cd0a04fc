import BuddyCore

/// One difference between the kernel's state (or result) and the simulator's, in kernel terms.
public struct StateDifference: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case result, counter, nrFree = "nr_free", freeList = "free_list", pageblock, pcp, foreign, structure
        /// Where an `anon` mapping's pages are (the kernel's `anon H PFN…` record).
        case anon
        /// The zone's compaction state: cached scanner positions, deferral, skip bits.
        case compaction
    }
    public var kind: Kind
    /// The pfn the difference is first seen at, when there is one.
    public var pfn: Int?
    /// Order and list of a free-list difference.
    public var order: Int?
    public var list: MigrateType?
    public var kernel: String
    public var simulator: String
    public var what: String

    public var description: String { "\(what): kernel \(kernel) | simulator \(simulator)" }
}

/// Compares two states entry by entry: counters, `nr_free[order]`, every free list (pfns in
/// list order) and every pageblock type. Pure: data in, differences out.
public enum StateComparator {
    /// Lists are printed whole up to this many pfns per side.
    public static let listLimit = 48

    public static func compare(kernel k: ZoneSnapshot, simulator s: ZoneSnapshot, pageblockPages pb: Int) -> [StateDifference] {
        var out: [StateDifference] = []
        if k.nrFreePages != s.nrFreePages {
            out.append(.init(kind: .counter, kernel: "\(k.nrFreePages)", simulator: "\(s.nrFreePages)", what: "NR_FREE_PAGES"))
        }
        if k.nrFreeCMAPages != s.nrFreeCMAPages {
            out.append(.init(kind: .counter, kernel: "\(k.nrFreeCMAPages)", simulator: "\(s.nrFreeCMAPages)", what: "NR_FREE_CMA_PAGES"))
        }
        for o in 0..<min(k.nrFree.count, s.nrFree.count) where k.nrFree[o] != s.nrFree[o] {
            out.append(.init(kind: .nrFree, order: o, kernel: "\(k.nrFree[o])", simulator: "\(s.nrFree[o])", what: "nr_free[\(o)]"))
        }
        for o in 0..<min(k.freeLists.count, s.freeLists.count) {
            for mt in MigrateType.allCases {
                let kl = k.freeLists[o][Int(mt.rawValue)], sl = s.freeLists[o][Int(mt.rawValue)]
                guard kl != sl else { continue }
                let firstDiff = (0..<min(kl.count, sl.count)).first { kl[$0] != sl[$0] } ?? min(kl.count, sl.count)
                let at = firstDiff < kl.count ? kl[firstDiff] : sl[firstDiff]
                let kset = Set(kl), sset = Set(sl)
                let onlyK = kl.filter { !sset.contains($0) }, onlyS = sl.filter { !kset.contains($0) }
                var what = "free_area[\(o)].free_list[\(mt.oracleName)]: first difference at position \(firstDiff) (pfn \(hexString(at)))"
                if onlyK.isEmpty && onlyS.isEmpty { what += ", same blocks in another order" }
                else { what += "; only in kernel: \(render(onlyK)); only in simulator: \(render(onlyS))" }
                out.append(.init(kind: .freeList, pfn: at, order: o, list: mt,
                                 kernel: "\(kl.count) blocks \(render(kl))", simulator: "\(sl.count) blocks \(render(sl))", what: what))
            }
        }
        for i in 0..<min(k.pageblocks.count, s.pageblocks.count) where k.pageblocks[i] != s.pageblocks[i] {
            let pfn = k.pageblockStart + i * pb
            out.append(.init(kind: .pageblock, pfn: pfn, kernel: k.pageblocks[i].oracleName, simulator: s.pageblocks[i].oracleName,
                             what: "pageblock \(hexString(pfn)) migratetype"))
        }
        if k.pageblocks.count != s.pageblocks.count {
            out.append(.init(kind: .pageblock, kernel: "\(k.pageblocks.count) pageblocks", simulator: "\(s.pageblocks.count) pageblocks", what: "pageblock count"))
        }
        return out
    }

    public static func compare(kernel k: OracleResult, simulator s: OracleResult) -> StateDifference? {
        k == s ? nil : .init(kind: .result, pfn: k.pfn ?? s.pfn, kernel: k.description, simulator: s.description, what: "result")
    }

    static func render(_ pfns: [Int]) -> String {
        let shown = pfns.prefix(listLimit).map(hexString).joined(separator: " ")
        return "[" + shown + (pfns.count > listLimit ? " … +\(pfns.count - listLimit)" : "") + "]"
    }
}
