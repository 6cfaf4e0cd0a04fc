/// Counters and watermarks of one zone (`struct zone` minus the free lists).
public struct ZoneCounters: Sendable {
    public var startPfn: Int
    public var endPfn: Int
    /// `NR_FREE_PAGES` as the design maintains it (may drift, may go negative).
    public var nrFreePages: Int
    /// `NR_FREE_CMA_PAGES`.
    public var nrFreeCMAPages: Int
    /// Truth: pages on non-ISOLATE free lists (kept by the list primitives, never by designs).
    public var allocatableFree: Int
    /// Truth: pages on ISOLATE free lists.
    public var isolatedFree: Int
    /// `zone->nr_isolate_pageblock` (v3.18+; kept in every era for the 4.6 merge check).
    public var nrIsolatePageblock: Int
    /// `zone->nr_pageblock_isolate` (v3.6–3.7, design D).
    public var nrPageblockIsolate: Int
    /// `managed_pages`: online pages of the zone.
    public var managedPages: Int
    /// `present_pages`: pages with RAM in the span (spanned − holes), less offline blocks.
    public var presentPages: Int = 0
    public var wmarkMin: Int
    public var wmarkLow: Int
    public var wmarkHigh: Int
    public var isMovableZone: Bool
    /// `zone->nr_reserved_highatomic` (v4.4+; Machine+HighAtomic.swift).
    public var nrReservedHighatomic = 0
}

/// A fault the kernel would have crashed or hung on; the engine records it and carries on.
public struct EngineFault: Sendable, Equatable {
    public var kind: String
    public var pfn: Int
    public var detail: String
}

/// Running totals the engine keeps as it works (metrics are derived from these and the state).
public struct EngineStats: Sendable, Equatable {
    public var allocs = 0
    public var allocFailures = 0
    public var frees = 0
    public var pagesMigrated = 0
    public var migrationFailures = 0
    /// Clean page-cache pages `alloc_contig_range` dropped instead of migrating
    /// (`reclaim_clean_pages_from_list`; only in states imported from a real kernel).
    public var pagesReclaimedByContig = 0
    public var watermarkChecks = 0
    public var watermarkMisjudgements = 0
    /// Pages `free_pcppages_bulk` freed onto a list other than their pageblock's type because the
    /// pcp page cached a stale migratetype (≤ v6.9 `get_pcppage_migratetype`).
    public var pcpStaleMigratetypePages = 0
    /// Pages a v5.x fallback moved to the requester's list without claiming their pageblock
    /// (`steal_suitable_fallback` below the half-block threshold, or a block it may not steal).
    public var fallbackUnclaimedPages = 0
    /// Requests that came with a gfp mask (Machine+SlowPath.swift), and their slow-path
    /// entries with `__GFP_KSWAPD_RECLAIM` (`wake_all_kswapds`).
    public var gfpRequests = 0
    public var kswapdWakeups = 0
    /// Failed requests whose mask has no `__GFP_DIRECT_RECLAIM` (GFP_NOWAIT, GFP_ATOMIC, …).
    public var nonBlockingFailures = 0
    /// `mm_page_alloc_extfrag` events and those with `change_ownership` (the pageblock took
    /// the requester's type: a claim; the others are steals). Machine+Fallback.swift.
    public var extfragEvents = 0
    public var extfragClaims = 0
    public init() {}
}

/// The simulated machine: one node, its zones, every frame, generic over a variant's strategies.
///
/// Storage is struct-of-arrays in manually allocated buffers owned by this object (freed in
/// `deinit`), indexed by `pfn - ramStartPfn`. Free lists are index-linked doubly linked lists
/// (`next`/`prev`), like `list_head` in `struct page`; an allocated head reuses `next` for its
/// handle. Nothing is allocated per event.
public final class Machine<S: StrategySet> {
    public let layout: MachineLayout
    public let geometry: Geometry
    public let ramStart: Int
    public let frameCount: Int
    public let orders: Int
    public let zoneCount: Int

    /// `lru.next` / `lru.prev` (one interleaved buffer, see `PairedField`).
    public let next: PairedField<UInt32>
    public let prev: PairedField<UInt32>
    /// Frame state (kind and order, `FrameState.swift`) and info byte (one interleaved buffer).
    public let state: PairedField<UInt8>
    public let info: PairedField<UInt8>
    /// Per pageblock: migratetype and zone index (`pageblockZoneMixed` when two zones share the
    /// pageblock: `zoneOf` then compares the pfn with the zone spans, as `page_zone()` would).
    public let pageblockType: UnsafeMutablePointer<UInt8>
    public let pageblockZone: UnsafeMutablePointer<UInt8>
    /// Pfn ranges with a struct page but no RAM (before/between/after zones and zone holes):
    /// their frames are `reserved` forever. Ascending, disjoint.
    public let absentRanges: [Range<Int>]
    public let pageblockCount: Int
    /// Free lists: head, tail and length per (zone, order, migratetype).
    public let listHead: UnsafeMutablePointer<UInt32>
    public let listTail: UnsafeMutablePointer<UInt32>
    public let listCount: UnsafeMutablePointer<Int>
    /// `free_area[order].nr_free` per (zone, order), as the design maintains it.
    public let nrFree: UnsafeMutablePointer<Int>
    public let zone: UnsafeMutablePointer<ZoneCounters>

    /// Everything else that changes at run time (handles, stats, faults, CMA areas, online
    /// map), kept in memory this object owns rather than in stored `var`s: Swift checks
    /// exclusive access to a class's stored `var`s dynamically on every access (a runtime call
    /// per event), while memory behind a pointer is not checked. See `Bookkeeping`.
    public let book: UnsafeMutablePointer<Bookkeeping>
    /// Where the frame arrays came from and go back to (`FrameBufferCache`); nil: freed.
    let frameBuffers: FrameBufferCache?

    /// - Parameter frameBuffers: the running worker's cache: the frame arrays reuse the last
    ///   machine's memory instead of faulting in fresh pages (refilled either way).
    public init(layout: MachineLayout, frameBuffers: FrameBufferCache? = nil) {
        precondition(layout.validate() == nil, "invalid layout: \(layout.validate() ?? "")")
        self.layout = layout
        geometry = layout.geometry
        ramStart = layout.ramStartPfn
        frameCount = layout.totalPages
        orders = geometry.orderCount
        zoneCount = layout.zones.count
        self.frameBuffers = frameBuffers
        (next, prev) = PairedField.allocatePair(count: frameCount, first: frameNil, second: frameNil, cache: frameBuffers)
        (state, info) = PairedField.allocatePair(count: frameCount, first: 0, second: 0, cache: frameBuffers)
        pageblockCount = frameCount >> geometry.pageblockOrder
        pageblockType = .allocate(capacity: pageblockCount)
        pageblockZone = .allocate(capacity: pageblockCount)
        pageblockType.initialize(repeating: MigrateType.movable.rawValue, count: pageblockCount)
        pageblockZone.initialize(repeating: pageblockZoneNone, count: pageblockCount)
        absentRanges = layout.absentRanges
        book = .allocate(capacity: 1)
        book.initialize(to: Bookkeeping(memoryBlocks: frameCount / layout.memoryBlockPages))
        let lists = zoneCount * orders * MigrateType.count
        listHead = .allocate(capacity: lists); listHead.initialize(repeating: frameNil, count: lists)
        listTail = .allocate(capacity: lists); listTail.initialize(repeating: frameNil, count: lists)
        listCount = .allocate(capacity: lists); listCount.initialize(repeating: 0, count: lists)
        nrFree = .allocate(capacity: zoneCount * orders)
        nrFree.initialize(repeating: 0, count: zoneCount * orders)
        zone = .allocate(capacity: zoneCount)
        for (z, spec) in layout.zones.enumerated() {
            let start = layout.zoneStart(z)
            zone.advanced(by: z).initialize(to: ZoneCounters(
                startPfn: start, endPfn: start + spec.pages, nrFreePages: 0, nrFreeCMAPages: 0,
                allocatableFree: 0, isolatedFree: 0, nrIsolatePageblock: 0, nrPageblockIsolate: 0,
                managedPages: spec.presentPages, presentPages: spec.presentPages, wmarkMin: 0, wmarkLow: 0,
                wmarkHigh: 0, isMovableZone: spec.isMovableZone))
            let pbFirst = (start - ramStart) >> geometry.pageblockOrder
            let pbLast = (start + spec.pages - 1 - ramStart) >> geometry.pageblockOrder
            for pb in pbFirst...pbLast {
                pageblockZone[pb] = pageblockZone[pb] == pageblockZoneNone ? UInt8(z) : pageblockZoneMixed
            }
        }
        for r in layout.memmapZones {
            for pb in (r.pfns.lowerBound - ramStart) >> geometry.pageblockOrder...(r.pfns.upperBound - 1 - ramStart) >> geometry.pageblockOrder {
                pageblockZone[pb] = pageblockZoneMixed
            }
        }
        for r in absentRanges {
            for pfn in r { state[pfn - ramStart] = packState(.reserved, 0) }
        }
        // Hidden RAM that memory hot-add may bring (no memory block device yet): offline.
        let hot = layout.hotpluggableRange
        for b in stride(from: hot.lowerBound, to: hot.upperBound, by: layout.memoryBlockPages) {
            book.pointee.blockOnline[(b - ramStart) / layout.memoryBlockPages] = false
        }
        if S.Era.pcp != .none { book.pointee.pcp = PerCPUPages(cpus: layout.cpus, zones: zoneCount) }
        populateFreeMemory()
        recomputeWatermarks()
    }

    deinit {
        next.deallocatePair(count: frameCount, cache: frameBuffers)
        state.deallocatePair(count: frameCount, cache: frameBuffers)
        pageblockType.deallocate(); pageblockZone.deallocate()
        listHead.deallocate(); listTail.deallocate(); listCount.deallocate(); nrFree.deallocate()
        zone.deallocate()
        book.pointee.handles.deallocate(); book.pointee.pcp.deallocate(); book.pointee.reclaim.deallocate(); book.deinitialize(count: 1); book.deallocate()
    }

    /// Boot: every zone's memory is handed to the buddy allocator in max-order blocks, MOVABLE
    /// (`memmap_init` marks pageblocks MOVABLE; `__free_pages_core` frees max-order chunks, in
    /// ascending pfn order, to the list tail from v5.10 — FPI_TO_TAIL, 7fef431be9c9).
    func populateFreeMemory() {
        for z in 0..<zoneCount {
            // The zone's present ranges: its span minus its holes.
            var present: [Range<Int>] = []
            var from = zone[z].startPfn
            for h in layout.zones[z].holes { present.append(from..<h.lowerBound); from = h.upperBound }
            present.append(from..<zone[z].endPfn)
            for r in present {
                var pfn = r.lowerBound
                while pfn < r.upperBound {
                    let order = min(geometry.maxOrder, pfn == 0 ? geometry.maxOrder : pfn.trailingZeroBitCount,
                                    Int.bitWidth - 1 - (r.upperBound - pfn).leadingZeroBitCount)
                    freeOnePage(pfn: pfn, order: order, migrateType: .movable, zone: z, toTail: S.Era.freeListMovesToTail)
                    if !S.FreeLists.inListPrimitives { zone[z].nrFreePages += 1 << order }
                    pfn += 1 << order
                }
            }
        }
    }

    /// No RAM at `pfn` (a hole, or outside every zone).
    public func isAbsent(_ pfn: Int) -> Bool {
        var lo = 0, hi = absentRanges.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if absentRanges[mid].upperBound <= pfn { lo = mid + 1 } else { hi = mid }
        }
        return lo < absentRanges.count && absentRanges[lo].contains(pfn) && !isHotAdded(pfn)
    }

    /// Absent pages in `[start, end)`.
    public func absentPages(_ start: Int, _ end: Int) -> Int {
        ramlessRanges.reduce(0) { $0 + max(0, min($1.upperBound, end) - max($1.lowerBound, start)) }
    }

    /// The lowest pfn of `[start, end)` with no RAM, or nil.
    public func firstAbsentPfn(_ start: Int, _ end: Int) -> Int? {
        ramlessRanges.lazy.filter { $0.upperBound > start && $0.lowerBound < end }.map { max($0.lowerBound, start) }.min()
    }

    /// `absentRanges` without the memory blocks hot-added since boot (Machine+HotAdd.swift).
    var ramlessRanges: [Range<Int>] {
        let added = book.pointee.hotAdded
        guard !added.isEmpty else { return absentRanges }
        var out: [Range<Int>] = []
        for r in absentRanges {
            var pieces = [r]
            for a in added {
                pieces = pieces.flatMap { p -> [Range<Int>] in
                    guard a.overlaps(p) else { return [p] }
                    return [p.lowerBound..<a.lowerBound, a.upperBound..<p.upperBound].filter { !$0.isEmpty }
                }
            }
            out += pieces
        }
        return out
    }

    /// `page_zone()` for a pfn whose pageblock is shared by two zones (or by none), or holds
    /// struct pages of another zone (`layout.memmapZones`): that zone, else the zone whose span
    /// holds it, else the nearest zone below, else zone 0.
    @usableFromInline func zoneOfSlow(_ pfn: Int) -> Int {
        for r in layout.memmapZones where r.pfns.contains(pfn) { return r.zone }
        var best = 0
        for z in 0..<zoneCount {
            if zone[z].startPfn <= pfn { best = z }
            if zone[z].startPfn <= pfn && pfn < zone[z].endPfn { return z }
        }
        return best
    }

    /// Engine state bytes per simulated frame (frames + pageblocks + lists, excluding handles).
    public var bytesPerFrame: Double {
        let perFrame = MemoryLayout<UInt32>.size * 2 + 2
        let perPageblock = 2.0 / Double(geometry.pageblockPages)
        return Double(perFrame) + perPageblock
    }

    // MARK: - Small accessors (all O(1))

    @inlinable @inline(__always) public func index(_ pfn: Int) -> Int { pfn &- ramStart }
    @inlinable @inline(__always) public func pfnOf(_ idx: Int) -> Int { idx &+ ramStart }
    /// `pfn_valid()`: there is a struct page for it.
    @inlinable @inline(__always) public func pfnValid(_ pfn: Int) -> Bool {
        pfn >= ramStart && pfn < ramStart &+ frameCount
    }
    @inlinable @inline(__always) public func kind(_ pfn: Int) -> FrameKind {
        FrameKind(rawValue: state[index(pfn)] >> 4) ?? .none
    }
    @inlinable @inline(__always) public func order(_ pfn: Int) -> Int { Int(state[index(pfn)] & 15) }
    @inlinable @inline(__always) public func isBuddy(_ pfn: Int) -> Bool { state[index(pfn)] >> 4 == 1 }
    @inlinable @inline(__always) public func pageblockIndex(_ pfn: Int) -> Int {
        index(pfn) >> geometry.pageblockOrder
    }
    /// `get_pageblock_migratetype()`.
    @inlinable @inline(__always) public func blockType(_ pfn: Int) -> MigrateType {
        MigrateType(rawValue: pageblockType[pageblockIndex(pfn)]) ?? .movable
    }
    /// `set_pageblock_migratetype()`.
    @inlinable @inline(__always) public func setBlockType(_ pfn: Int, _ mt: MigrateType) {
        pageblockType[pageblockIndex(pfn)] = mt.rawValue
    }
    @inlinable @inline(__always) public func zoneOf(_ pfn: Int) -> Int {
        let z = pageblockZone[pageblockIndex(pfn)]
        return z < pageblockZoneMixed ? Int(z) : zoneOfSlow(pfn)
    }
    @inlinable @inline(__always) public func listIndex(_ z: Int, _ order: Int, _ mt: MigrateType) -> Int {
        (z &* orders &+ order) &* MigrateType.count &+ Int(mt.rawValue)
    }
    @inlinable public func memoryBlock(of pfn: Int) -> Int { index(pfn) / layout.memoryBlockPages }
    @inlinable public func isOnline(_ pfn: Int) -> Bool { pfnValid(pfn) && blockOnline[memoryBlock(of: pfn)] }
    @inlinable public func freeList(_ z: Int, _ order: Int, _ mt: MigrateType) -> Int { listCount[listIndex(z, order, mt)] }

    /// The pfns on `free_area[order].free_list[mt]` of zone `z`, head first (tests, reports).
    public func listContents(zone z: Int, order: Int, _ mt: MigrateType) -> [Int] {
        var out: [Int] = []
        var i = listHead[listIndex(z, order, mt)]
        while i != frameNil { out.append(pfnOf(Int(i))); i = next[Int(i)] }
        return out
    }

    /// NR_FREE_PAGES summed over zones.
    public var totalNrFreePages: Int { (0..<zoneCount).reduce(0) { $0 + zone[$1].nrFreePages } }
    public var totalAllocatableFree: Int { (0..<zoneCount).reduce(0) { $0 + zone[$1].allocatableFree } }
    public var totalIsolatedFree: Int { (0..<zoneCount).reduce(0) { $0 + zone[$1].isolatedFree } }

    public func zoneIndex(named name: String) -> Int? { layout.zones.firstIndex { $0.name == name } }

    func recordFault(_ kind: String, pfn: Int, _ detail: String) {
        faults.append(EngineFault(kind: kind, pfn: pfn, detail: detail))
    }
}

/// `pageblockZone` markers: two zones share the pageblock / no zone spans it.
public let pageblockZoneMixed: UInt8 = 0xFE
public let pageblockZoneNone: UInt8 = 0xFF
