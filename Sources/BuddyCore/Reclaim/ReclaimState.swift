/// The reclaim stand-in's bookkeeping: two LRU lists of *requests* (file, anon), oldest at the
/// head, and the vmstat counters reclaim produces. Lives in `Bookkeeping.reclaim`.
///
/// Keyed by request id, not by handle: request ids are never reused, so a request reclaimed
/// here stays "reclaimed" when the workload later frees it (a no-op, like a free of a failed
/// request), however the handle table has recycled its handle since.
public struct ReclaimState {
    /// Whether the program asked for reclaim (`reclaim:`); everything below is unused otherwise.
    public var active = false
    public var config = ReclaimConfig(swap: false)
    /// Per request: its `PageClass` raw value (empty buffer when inactive).
    @usableFromInline var classes: UnsafeMutableBufferPointer<UInt8> = .init(start: nil, count: 0)
    /// Per request: LRU links (`-1` none) and the handle while on an LRU (`-1`), or `reclaimed`.
    @usableFromInline var next: UnsafeMutableBufferPointer<Int32> = .init(start: nil, count: 0)
    @usableFromInline var prev: UnsafeMutableBufferPointer<Int32> = .init(start: nil, count: 0)
    @usableFromInline var handle: UnsafeMutableBufferPointer<Int32> = .init(start: nil, count: 0)
    /// LRU heads and tails: index 0 file, 1 anon.
    @usableFromInline var head: (Int32, Int32) = (-1, -1)
    @usableFromInline var tail: (Int32, Int32) = (-1, -1)
    /// Pages on each LRU and per zone (`zone_reclaimable_pages`, what `should_reclaim_retry`
    /// adds to NR_FREE_PAGES).
    public var lruPages: (file: Int, anon: Int) = (0, 0)
    public var reclaimablePerZone: [Int] = []

    /// kswapd: awake, the order and highest zone it was woken for, pages reclaimed this run.
    public var kswapdAwake = false
    public var kswapdOrder = 0
    public var kswapdHighestZone = 0
    public var kswapdReclaimedThisRun = 0
    /// Pages kswapd may still reclaim before it has used up its share of the events so far.
    public var kswapdCredit = 0

    /// vmstat counters (mm/vmstat.c names).
    public var pgscanKswapd = 0, pgstealKswapd = 0, pgscanDirect = 0, pgstealDirect = 0
    public var pgstealFile = 0, pgstealAnon = 0, pswpout = 0
    /// `allocstall_normal` / `allocstall_movable`: direct reclaim entries by `gfp_zone`.
    public var allocstallNormal = 0, allocstallMovable = 0
    /// `pageoutrun`: kswapd balance runs (`balance_pgdat` calls).
    public var pageoutrun = 0
    /// Times kswapd went to sleep after a run for order > 0 and asked for kcompactd
    /// (`kswapd_try_to_sleep` → `wakeup_kcompactd`), through `AllocationProgress.wakeupKcompactd`.
    public var kcompactdWakeRequests = 0

    /// Marker in `handle` for a request reclaim has freed.
    public static let reclaimed: Int32 = -2

    public init() {}

    /// Sizes the per-request arrays and copies the classes (`Program.pageClasses`).
    public mutating func activate(_ config: ReclaimConfig, classes source: [UInt8], requestCount: Int, zones: Int) {
        self.config = config
        active = true
        let n = max(requestCount, 1)
        classes = .allocate(capacity: n); classes.initialize(repeating: 0)
        for (i, c) in source.prefix(n).enumerated() { classes[i] = c }
        next = .allocate(capacity: n); next.initialize(repeating: -1)
        prev = .allocate(capacity: n); prev.initialize(repeating: -1)
        handle = .allocate(capacity: n); handle.initialize(repeating: -1)
        reclaimablePerZone = Array(repeating: 0, count: zones)
    }

    public mutating func deallocate() {
        guard active else { return }
        classes.deallocate(); next.deallocate(); prev.deallocate(); handle.deallocate()
        active = false
    }

    /// Which LRU a request of class `c` goes on: 0 file, 1 anon (only with swap), nil none.
    @inlinable func lru(of c: UInt8) -> Int? {
        if c == PageClass.pageCache.rawValue { return 0 }
        if c == PageClass.anon.rawValue, config.swap { return 1 }
        return nil
    }

    @inlinable func headOf(_ l: Int) -> Int32 { l == 0 ? head.0 : head.1 }

    /// Appends request `r` (allocated as handle `h`) at the tail (youngest end) of LRU `l`.
    @inlinable mutating func push(_ r: Int32, handle h: Int, lru l: Int) {
        let i = Int(r)
        handle[i] = Int32(truncatingIfNeeded: h)
        next[i] = -1
        let t = l == 0 ? tail.0 : tail.1
        prev[i] = t
        if t >= 0 { next[Int(t)] = r } else { if l == 0 { head.0 = r } else { head.1 = r } }
        if l == 0 { tail.0 = r } else { tail.1 = r }
    }

    /// Unlinks request `r` from LRU `l`.
    @inlinable mutating func unlink(_ r: Int32, lru l: Int) {
        let i = Int(r)
        let p = prev[i], n = next[i]
        if p >= 0 { next[Int(p)] = n } else { if l == 0 { head.0 = n } else { head.1 = n } }
        if n >= 0 { prev[Int(n)] = p } else { if l == 0 { tail.0 = p } else { tail.1 = p } }
        next[i] = -1; prev[i] = -1
    }
}
