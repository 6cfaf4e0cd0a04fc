/// Storage of the per-cpu pagesets (`struct per_cpu_pages`, one per CPU and zone) and the
/// zone-wide values they are set from (`zone->pageset_high`, `pageset_batch`, …).
///
/// Pages on a pcp list are linked through the frames' `next`/`prev` (`page->pcp_list` shares
/// `page->lru` with `buddy_list` in the kernel), their head's `state` kind is `.pcp` and its
/// `info` byte holds the migratetype cached at free time. Everything here is raw memory behind
/// the machine's `book` pointer: nothing is allocated per event.
public struct PerCPUPages {
    /// `PAGE_ALLOC_COSTLY_ORDER`.
    public static let costlyOrder = 3
    /// `MIGRATE_PCPTYPES`.
    public static let pcpTypes = 3
    /// `NR_LOWORDER_PCP_LISTS` = PCPTYPES × (COSTLY + 1).
    public static let lowOrderLists = pcpTypes * (costlyOrder + 1)
    /// `NR_PCP_LISTS` = PCPTYPES × (COSTLY + 1 + NR_PCP_THP) with THP (Debian: y): 15, of which
    /// the last is never used (only the two THP lists NR_LOWORDER and NR_LOWORDER+1 are).
    public static let lists = pcpTypes * (costlyOrder + 2)
    /// `CONFIG_PCP_BATCH_SCALE_MAX` (default 5).
    public static let batchScaleMax = 5
    /// `MIN_PERCPU_PAGELIST_HIGH_FRACTION` (v6.7+ `high_max`).
    public static let highFractionMax = 8
    /// Most CPUs a machine may have (the executor stores a CPU in a byte).
    public static let maxCPUs = 64
    /// `PCPF_PREV_FREE_HIGH_ORDER`.
    public static let flagPrevFreeHighOrder: UInt8 = 1

    public let cpus: Int
    public let zones: Int
    /// Per (cpu, zone) set: `count`, `high` (v6.7: the tuned value), `batch`, `high_min`,
    /// `high_max`, `free_factor` (v6.1) / `free_count` (v6.7), `alloc_factor`, `flags`.
    public let count: UnsafeMutablePointer<Int>
    public let high: UnsafeMutablePointer<Int>
    public let batch: UnsafeMutablePointer<Int>
    public let highMin: UnsafeMutablePointer<Int>
    public let highMax: UnsafeMutablePointer<Int>
    public let freeFactor: UnsafeMutablePointer<Int>
    public let freeCount: UnsafeMutablePointer<Int>
    public let allocFactor: UnsafeMutablePointer<Int>
    public let flags: UnsafeMutablePointer<UInt8>
    /// Per (cpu, zone, pindex) list: head, tail (frame indices) and length in blocks.
    public let listHead: UnsafeMutablePointer<UInt32>
    public let listTail: UnsafeMutablePointer<UInt32>
    public let listLength: UnsafeMutablePointer<Int>
    /// Per zone: `pageset_high` (v6.7: `pageset_high_min`), `pageset_high_max`, `pageset_batch`,
    /// `ZONE_BELOW_HIGH`, and whether `zone_pcp_disable` is in force.
    public let zoneHigh: UnsafeMutablePointer<Int>
    public let zoneHighMax: UnsafeMutablePointer<Int>
    public let zoneBatch: UnsafeMutablePointer<Int>
    public let zoneBelowHigh: UnsafeMutablePointer<Bool>
    public let zoneDisabled: UnsafeMutablePointer<Bool>
    /// The CPU the executor runs the next allocation or free on.
    public var current: Int = 0

    /// No pagesets (eras without a pcp model).
    public init() { self.init(cpus: 0, zones: 0) }

    public init(cpus: Int, zones: Int) {
        self.cpus = cpus; self.zones = zones
        let sets = cpus * zones, lists = sets * Self.lists
        func buffer<T>(_ n: Int, _ v: T) -> UnsafeMutablePointer<T> {
            let p = UnsafeMutablePointer<T>.allocate(capacity: max(n, 1))
            p.initialize(repeating: v, count: max(n, 1))
            return p
        }
        count = buffer(sets, 0); high = buffer(sets, 0); batch = buffer(sets, 1)
        highMin = buffer(sets, 0); highMax = buffer(sets, 0)
        freeFactor = buffer(sets, 0); freeCount = buffer(sets, 0); allocFactor = buffer(sets, 0)
        flags = buffer(sets, 0)
        listHead = buffer(lists, frameNil); listTail = buffer(lists, frameNil); listLength = buffer(lists, 0)
        zoneHigh = buffer(zones, 0); zoneHighMax = buffer(zones, 0); zoneBatch = buffer(zones, 0)
        zoneBelowHigh = buffer(zones, false); zoneDisabled = buffer(zones, false)
    }

    /// Frees the storage (from `Machine.deinit`).
    public func deallocate() {
        count.deallocate(); high.deallocate(); batch.deallocate(); highMin.deallocate()
        highMax.deallocate(); freeFactor.deallocate(); freeCount.deallocate()
        allocFactor.deallocate(); flags.deallocate()
        listHead.deallocate(); listTail.deallocate(); listLength.deallocate()
        zoneHigh.deallocate(); zoneHighMax.deallocate(); zoneBatch.deallocate()
        zoneBelowHigh.deallocate(); zoneDisabled.deallocate()
    }

    /// Index of the set of `cpu` for zone `z`.
    @inlinable @inline(__always) public func set(_ cpu: Int, _ z: Int) -> Int { cpu &* zones &+ z }
    /// Index of list `pindex` of set `s`.
    @inlinable @inline(__always) public func list(_ s: Int, _ pindex: Int) -> Int { s &* Self.lists &+ pindex }

    /// `order_to_pindex()`: PCPTYPES lists per order up to COSTLY; the pageblock order has one
    /// list for MOVABLE and one for the rest.
    @inlinable @inline(__always)
    public static func pindex(_ mt: MigrateType, order: Int) -> Int {
        if order > costlyOrder { return lowOrderLists &+ (mt == .movable ? 1 : 0) }
        return pcpTypes &* order &+ Int(mt.rawValue)
    }

    /// `pindex_to_order()`.
    @inlinable @inline(__always)
    public static func order(ofPindex p: Int, pageblockOrder: Int) -> Int {
        p >= lowOrderLists ? pageblockOrder : p / pcpTypes
    }

    // `pcp_allowed_order()` needs the layout (CONFIG_TRANSPARENT_HUGEPAGE): Machine.pcpAllowedOrder.
}
