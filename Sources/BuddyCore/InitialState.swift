/// A starting state other than "everything free": what a real machine's `/proc` files describe
/// (BuddyExperiment's `from_proc` planner builds it). Applied right after boot, before CMA areas
/// and the first event, identically for every variant — it is an input, not a design.
public struct InitialState: Sendable, Equatable {
    /// `get_pageblock_migratetype()` (raw `MigrateType`) of every pageblock, indexed from `ram_start`.
    public var pageblockTypes: [UInt8]
    /// The free blocks; each goes on its pageblock's list. They must not overlap, and no two may be
    /// buddies of the same order (they would merge): the planner guarantees both.
    public var freeBlocks: [FreeBlockSpec]
    /// Memory blocks that are offline at boot (offline hotplug memory, holes).
    public var offlineBlocks: [Int]
    /// A trace's frees of pages allocated before the capture (InitialState+PreCapture.swift);
    /// empty unless a `trace:` in requests mode replays on this state.
    public var preCaptureBlocks: [PreCaptureBlock] = []

    public init(pageblockTypes: [UInt8], freeBlocks: [FreeBlockSpec], offlineBlocks: [Int]) {
        self.pageblockTypes = pageblockTypes; self.freeBlocks = freeBlocks; self.offlineBlocks = offlineBlocks
    }
}

public struct FreeBlockSpec: Sendable, Equatable {
    public var pfn: Int
    public var order: Int
    public init(pfn: Int, order: Int) { self.pfn = pfn; self.order = order }
}

extension Machine {
    /// Replaces the boot state with `s`: pageblock types set, offline blocks taken out of the
    /// zone (reserved frames, `managed_pages` reduced), the listed blocks free on their
    /// pageblock's list (NR_FREE_PAGES and NR_FREE_CMA_PAGES counting them), every other online
    /// page allocated in the largest aligned chunks, typed after its pageblock and owned by no
    /// request (like the kernel's own pages a workload never frees). Stats start from zero.
    public func importInitialState(_ s: InitialState) {
        precondition(s.pageblockTypes.count == pageblockCount, "initial state: one type per pageblock")
        // Empty every list.
        for z in 0..<zoneCount {
            for o in 0..<orders {
                for mt in MigrateType.allCases {
                    while listHead[listIndex(z, o, mt)] != frameNil {
                        delFromFreeList(pfnOf(Int(listHead[listIndex(z, o, mt)])), zone: z)
                    }
                }
            }
            zone[z].nrFreePages = 0; zone[z].nrFreeCMAPages = 0
        }
        for pb in 0..<pageblockCount {
            pageblockType[pb] = s.pageblockTypes[pb]
            if s.pageblockTypes[pb] == MigrateType.isolate.rawValue {
                let z = Int(pageblockZone[pb])
                zone[z].nrIsolatePageblock += 1; zone[z].nrPageblockIsolate += 1
            }
        }
        for b in s.offlineBlocks {
            let (start, end) = blockRange(b)
            for q in start..<end { state[index(q)] = packState(.reserved, 0); info[index(q)] = 0 }
            blockOnline[b] = false
            zone[zoneOf(start)].managedPages -= end - start
        }
        let blocks = s.freeBlocks.sorted { $0.pfn < $1.pfn }
        var next = 0
        for z in 0..<zoneCount {
            var p = zone[z].startPfn
            let end = zone[z].endPfn
            while p < end {
                if !isOnline(p) { p += layout.memoryBlockPages; continue }
                while next < blocks.count, blocks[next].pfn < p { next += 1 }
                if next < blocks.count, blocks[next].pfn == p {
                    let o = blocks[next].order
                    let mt = blockType(p)
                    addToFreeList(p, order: o, mt, zone: z, tail: true)
                    // v6.10+ `account_freepages()` lives in the list primitives: `addToFreeList`
                    // has counted the block already. Before it, `__free_one_page`'s caller did
                    // (`__mod_zone_freepage_state`), never for an ISOLATE block (the designs differ
                    // on isolated frees, not on what a running kernel's counter already holds).
                    if !S.FreeLists.inListPrimitives, mt != .isolate {
                        zone[z].nrFreePages += 1 << o
                        if mt == .cma { zone[z].nrFreeCMAPages += 1 << o }
                    }
                    p += 1 << o
                    continue
                }
                // Allocated up to the next free block, the block end or the memory block end.
                let blockEnd = (p - ramStart) / layout.memoryBlockPages * layout.memoryBlockPages + ramStart + layout.memoryBlockPages
                let limit = min(end, blockEnd, next < blocks.count ? blocks[next].pfn : end)
                let o = min(geometry.maxOrder, (p - ramStart).trailingZeroBitCount,
                            Int.bitWidth - 1 - (limit - p).leadingZeroBitCount)
                let type: AllocType = switch blockType(p) {
                case .movable, .cma, .isolate: .movable
                case .reclaimable: .reclaimable
                case .unmovable, .highatomic: .unmovable
                }
                _ = markAllocated(pfn: p, order: o, AllocInfo(type: type, migratable: type == .movable,
                                                              compound: false, handled: false))
                p += 1 << o
            }
        }
        stats = EngineStats()
        recomputeWatermarks()
    }
}
