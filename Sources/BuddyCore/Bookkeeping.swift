/// The machine's run-time bookkeeping that is not per-frame state: the workload's handles,
/// running statistics, recorded faults, CMA areas and the memory-block online map.
///
/// It lives in one heap cell owned by `Machine` (`book`), reached through a pointer: a stored
/// `var` of a class is subject to Swift's dynamic exclusivity enforcement (a
/// `swift_beginAccess`/`swift_endAccess` runtime call pair on every access — they showed in
/// the profile of `markAllocated`), while memory behind an `UnsafeMutablePointer` is not
/// tracked. On the memory-bound 16 GiB churn benchmark the move alone changed nothing
/// measurable; it keeps runtime calls out of the per-event path. `Machine` is used from one
/// thread at a time, so nothing is lost.
public struct Bookkeeping {
    /// Handle → pfn of the allocated head it names, and the released handles.
    public var handles = HandleTable()
    public var stats = EngineStats()
    public var faults: [EngineFault] = []
    /// CMA areas: base pfn and pages (declared at set-up or by `cmaDeclare`), and which pages
    /// `cma_alloc` handed out.
    public var cmaAreas: [(name: String, base: Int, pages: Int, bitmap: [Bool])] = []
    /// Per memory block (hotplug unit): online?
    public var blockOnline: [Bool]
    /// Per-cpu pagesets (PerCPUPages.swift); empty for eras without a pcp model.
    public var pcp = PerCPUPages()
    /// Per pageblock: its migratetype before `set_migratetype_isolate` (MigrateType.count when
    /// not isolated that way), and how many un-isolations wrote back another type
    /// (Machine+IsolateBit.swift).
    public var typeBeforeIsolation: [UInt8] = []
    public var isolationRetyped = 0
    /// v6.x terms: `lowmem_reserve[classzone]` of each zone (row zone, column classzone; set by
    /// `setupPerZoneLowmemReserve`), whether a zonelist request starts with ALLOC_NOFRAGMENT
    /// (movable / other), and the flag while a NOFRAGMENT pass runs (Machine+NoFragment.swift).
    public var lowmemReserve: [Int] = []
    public var noFragmentPreferred: (movable: Bool, other: Bool) = (false, false)
    public var noFragmentPass = false
    /// `ac->highest_zoneidx` of a request with a zone modifier (`__GFP_DMA`, `__GFP_DMA32`:
    /// `gfp_zone()`), as an engine zone index while that request runs; Int.max otherwise
    /// (Machine+ZoneModifier.swift).
    public var zonelistCap = Int.max
    /// Compaction (Compaction/CompactionState.swift), and the order a running direct
    /// compaction captures at in `__free_one_page` (`compaction_capture`; Int.max: none).
    public var compaction = CompactionState()
    public var captureOrder = Int.max
    /// The reclaim stand-in's LRUs and counters (Reclaim/ReclaimState.swift); inactive by default.
    public var reclaim = ReclaimState()
    /// Memory blocks `hotAddBlock` added (Machine+HotAdd.swift): RAM now, though `absentRanges`
    /// listed them at boot.
    public var hotAdded: [Range<Int>] = []

    public init(memoryBlocks: Int) {
        blockOnline = Array(repeating: true, count: memoryBlocks)
    }
}

/// Accessors with the names the rest of the engine, the executor and the tests use.
extension Machine {
    /// Handle → pfn (`handlePfn[h]`), as the workload and the tests read it.
    @inlinable public var handlePfn: HandleTable {
        _read { yield book.pointee.handles }
        _modify { yield &book.pointee.handles }
    }
    @inlinable public var stats: EngineStats {
        _read { yield book.pointee.stats }
        _modify { yield &book.pointee.stats }
    }
    @inlinable public var faults: [EngineFault] {
        _read { yield book.pointee.faults }
        _modify { yield &book.pointee.faults }
    }
    @inlinable public var cmaAreas: [(name: String, base: Int, pages: Int, bitmap: [Bool])] {
        _read { yield book.pointee.cmaAreas }
        _modify { yield &book.pointee.cmaAreas }
    }
    @inlinable public var blockOnline: [Bool] {
        _read { yield book.pointee.blockOnline }
        _modify { yield &book.pointee.blockOnline }
    }
}
