/// The `series:` of a run: every `every` events (and at event 0 and at the end) one point of
/// the state a reviewer wants as a trajectory rather than an end snapshot. Columns are fixed at
/// the start of the run, so a sample appends to preallocated arrays and never hashes a name.
///
/// Free counts and indices read the free lists (the truth, non-ISOLATE lists for the indices),
/// summed over the machine's zones: on a one-zone machine they are the kernel's per-zone
/// values; on several zones they are the node's (the kernel prints them per zone).
public struct TimeSeriesRecorder {
    public let every: Int
    /// Column names in output order; `columns[i]` holds column `names[i]`.
    public private(set) var names: [String] = []
    var columns: [[Int]] = []
    /// Orders at which the indices are taken (3, 9, 10 where ≤ max_order).
    let indexOrders: [Int]
    let orders: Int
    let withReclaim: Bool
    /// High-order attempts / successes at the previous point (for the windowed success rate).
    var lastHigh = (attempts: 0, successes: 0)

    /// Cumulative counters the executor keeps (not in the engine's stats).
    public struct Counters {
        public var highOrderAttempts = 0, highOrderSuccesses = 0
        public init() {}
    }

    public init(every: Int, maxOrder: Int, withReclaim: Bool, capacity: Int) {
        self.every = every
        orders = maxOrder + 1
        self.withReclaim = withReclaim
        indexOrders = [3, 9, 10].filter { $0 <= maxOrder }
        var n = ["t", "nr_free_pages", "nr_free_pages_drift", "wmark_min", "wmark_low", "wmark_high"]
        for mt in MigrateType.allCases {
            for o in 0..<orders { n.append("free_blocks_\(mt.procName.lowercased())_o\(o)") }
        }
        for o in indexOrders { n.append("unusable_free_index_o\(o)") }
        for o in indexOrders { n.append("fragmentation_index_o\(o)") }
        for mt in MigrateType.allCases { n.append("pageblocks_\(mt.procName.lowercased())") }
        n += ["mixed_pageblocks", "extfrag_claims", "extfrag_steals",
              "highorder_attempts", "highorder_successes", "highorder_success_permille", "kswapd_wakeups"]
        if withReclaim {
            n += ["pgsteal_kswapd", "pgsteal_direct", "allocstall", "lru_file_pages", "lru_anon_pages"]
        }
        names = n
        columns = n.map { _ in
            var c: [Int] = []
            c.reserveCapacity(capacity)
            return c
        }
    }

    /// Appends the point for time `t` (events executed so far).
    public mutating func sample<S: StrategySet>(_ m: Machine<S>, t: Int, _ counters: Counters) {
        var i = 0
        func put(_ v: Int) { columns[i].append(v); i += 1 }
        put(t)
        put(m.totalNrFreePages)
        put(m.drift().nrFreePages)
        var wmin = 0, wlow = 0, whigh = 0
        for z in 0..<m.zoneCount { wmin += m.zone[z].wmarkMin; wlow += m.zone[z].wmarkLow; whigh += m.zone[z].wmarkHigh }
        put(wmin); put(wlow); put(whigh)
        for mt in MigrateType.allCases {
            for o in 0..<orders {
                var n = 0
                for z in 0..<m.zoneCount { n += m.listCount[m.listIndex(z, o, mt)] }
                put(n)
            }
        }
        // contig_page_info over the non-ISOLATE lists (fill_contig_page_info reads nr_free).
        var freePages = 0, freeBlocks = 0
        var blocksAt = [Int](repeating: 0, count: orders)
        for o in 0..<orders {
            for z in 0..<m.zoneCount { blocksAt[o] += m.trueBlocks(zone: z, order: o) }
            freeBlocks += blocksAt[o]
            freePages += blocksAt[o] << o
        }
        for j in indexOrders { put(Self.unusableFreeIndex(order: j, blocksAt: blocksAt, freePages: freePages)) }
        for j in indexOrders {
            put(Self.fragmentationIndex(order: j, blocksAt: blocksAt, freePages: freePages, freeBlocks: freeBlocks))
        }
        var types = [Int](repeating: 0, count: MigrateType.count)
        for pb in 0..<m.pageblockCount { types[Int(m.pageblockType[pb])] += 1 }
        for c in types { put(c) }
        put(Self.mixedPageblocks(m))
        let s = m.stats
        put(s.extfragClaims); put(s.extfragEvents - s.extfragClaims)
        put(counters.highOrderAttempts); put(counters.highOrderSuccesses)
        let da = counters.highOrderAttempts - lastHigh.attempts, ds = counters.highOrderSuccesses - lastHigh.successes
        // -1: no high-order attempt in this window (a rate of nothing, not 0 %).
        put(da > 0 ? ds * 1000 / da : -1)
        lastHigh = (counters.highOrderAttempts, counters.highOrderSuccesses)
        put(s.kswapdWakeups)
        if withReclaim {
            let r = m.reclaim
            put(r.pgstealKswapd); put(r.pgstealDirect); put(r.allocstallNormal + r.allocstallMovable)
            put(r.lruPages.file); put(r.lruPages.anon)
        }
    }

    /// The last point's time, or -1 before the first.
    public var lastTime: Int { columns.first?.last ?? -1 }

    /// `{ name: values }` for the run record.
    public var series: [String: [Int]] {
        var d: [String: [Int]] = [:]
        for (n, c) in zip(names, columns) { d[n] = c }
        return d
    }

    /// `unusable_free_index()` (mm/vmstat.c) ×1000: the share of free pages in blocks smaller
    /// than `order`; 1000 when nothing is free.
    public static func unusableFreeIndex(order j: Int, blocksAt: [Int], freePages: Int) -> Int {
        guard freePages > 0 else { return 1000 }
        var suitablePages = 0
        for o in j..<blocksAt.count { suitablePages += blocksAt[o] << o }
        return (freePages - suitablePages) * 1000 / freePages
    }

    /// `__fragmentation_index()` (mm/vmstat.c) ×1000: -1000 when a block of `order` is free
    /// (the request would not fail), 0 with nothing free, else
    /// 1000 − (1000 + free_pages·1000/2^order) / free_blocks_total — towards 1000 the failure
    /// is fragmentation, towards 0 lack of memory.
    public static func fragmentationIndex(order j: Int, blocksAt: [Int], freePages: Int, freeBlocks: Int) -> Int {
        guard freeBlocks > 0 else { return 0 }
        for o in j..<blocksAt.count where blocksAt[o] > 0 { return -1000 }
        return 1000 - (1000 + freePages * 1000 / (1 << j)) / freeBlocks
    }

    /// `Machine.mixedPageblocks`, the same count, as one tight walk over the raw state and info
    /// bytes (a point of a 10⁷-event series reads every frame of the machine; through the
    /// accessors that walk was most of the series' cost).
    static func mixedPageblocks<S: StrategySet>(_ m: Machine<S>) -> Int {
        let pb = m.geometry.pageblockPages
        let state = m.state.base, info = m.info.base
        let allocated = FrameKind.allocated.rawValue, buddy = FrameKind.buddy.rawValue
        let cma = MigrateType.cma.rawValue, isolate = MigrateType.isolate.rawValue
        var mixed = 0
        for b in 0..<m.pageblockCount {
            let bt = m.pageblockType[b]
            if bt == cma || bt == isolate { continue }
            var i = b * pb
            let end = i + pb
            while i < end {
                let st = state[i << 1]
                let k = st >> 4
                if k == allocated {
                    // AllocInfo: bits 0–1 the request's type, whose raw value is its migratetype's.
                    if info[i << 1] & 3 != bt { mixed += 1; break }
                    i += 1 << Int(st & 15)
                } else if k == buddy {
                    i += 1 << Int(st & 15)
                } else {
                    i += 1
                }
            }
        }
        return mixed
    }
}
