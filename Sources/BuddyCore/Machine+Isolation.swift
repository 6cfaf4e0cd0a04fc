/// Pageblock isolation (kernel-reference §4.2–§4.4): `set_migratetype_isolate`,
/// `unset_migratetype_isolate`, `has_unmovable_pages`, `start/undo_isolate_page_range`,
/// `test_pages_isolated`.
extension Machine {
    /// Mirrors `has_unmovable_pages()` of the era over `[start, end)` of one pageblock.
    /// `forCMA`: the caller isolates with `migratetype == MIGRATE_CMA`.
    /// - Returns: the first offending pfn, or nil when the range may be isolated.
    public func hasUnmovablePages(_ start: Int, _ end: Int, forCMA: Bool) -> Int? {
        let z = zoneOf(start)
        let bt = blockType(start)
        if S.Era.unmovableCheckFollowsCompoundHead {
            // 2022 (b48d8a8e5ce5 / 844fbae63e46): a CMA block passes only for CMA callers.
            if bt == .cma { return forCMA ? nil : start }
        } else if S.Era.unmovableCheckSkipsMovableBlocks {
            // E2012/v4.4: ZONE_MOVABLE and MOVABLE/CMA blocks are never scanned.
            if zone[z].isMovableZone || bt == .movable || bt == .cma { return nil }
        }
        var p = start
        while p < end {
            switch kind(p) {
            case .reserved:
                return p                       // PageReserved: always bad
            case .buddy, .pcp:
                p += 1 << order(p)             // refcount 0: skip the whole buddy (or pcp block)
            case .allocated:
                let a = AllocInfo(raw: info[index(p)])
                if !a.migratable && !(S.Era.unmovableCheckFollowsCompoundHead && zone[z].isMovableZone) {
                    return p
                }
                p += 1 << order(p)
            case .none:
                // A tail: refcount 0 on its own. 2022 follows compound_head() to judge it — behind
                // `PageTransCompound()`, so only in kernels with CONFIG_TRANSPARENT_HUGEPAGE
                // (without it, found by the 6.1 UML oracle: a block covered by the tail of a
                // non-LRU compound page passes, and isolate_single_pageblock fails later).
                if S.Era.unmovableCheckFollowsCompoundHead, layout.transparentHugepage, !zone[z].isMovableZone,
                   let (head, ho) = allocatedBlockCovering(p) {
                    let a = AllocInfo(raw: info[index(head)])
                    if a.compound && !a.migratable { return p }
                    p = max(p + 1, head + (1 << ho))
                } else {
                    p += 1
                }
            }
        }
        return nil
    }

    /// Mirrors `set_migratetype_isolate()`: refuse if unmovable pages are found (or, from 2018,
    /// if already isolated), then retype the block ISOLATE and move its free pages to the
    /// ISOLATE lists, accounting as the design says. `checkRange` restricts the unmovable scan
    /// (844fbae63e46); nil = the whole pageblock.
    /// - Returns: pages moved, or nil on -EBUSY.
    @discardableResult
    public func setMigratetypeIsolate(_ pfn: Int, forCMA: Bool = false, checkRange: Range<Int>? = nil) -> Int? {
        let pb = geometry.pageblockPages
        let blockStart = pfn & ~(pb - 1)
        let old = blockType(blockStart)
        if old == .isolate && S.Era.isolateRefusesIsolated { return nil }
        let range = checkRange ?? blockStart..<(blockStart + pb)
        let lo = max(range.lowerBound, blockStart), hi = min(range.upperBound, blockStart + pb)
        if hasUnmovablePages(lo, hi, forCMA: forCMA) != nil { return nil }
        let z = zoneOf(blockStart)
        if S.FreeLists.isolationSplitsLargeBuddies {
            // v6.10+: move_freepages_block_isolate() retypes the block itself and refuses a
            // block that crosses the zone (-EBUSY); the lists keep the counters.
            guard let moved = moveFreepagesBlockIsolate(blockStart, to: .isolate) else { return nil }
            zone[z].nrIsolatePageblock += 1
            zone[z].nrPageblockIsolate += 1
            rememberTypeBeforeIsolation(blockStart, old)
            return moved
        }
        if old != .isolate {
            zone[z].nrIsolatePageblock += 1
            zone[z].nrPageblockIsolate += 1
        }
        if old != .isolate { rememberTypeBeforeIsolation(blockStart, old) }
        setBlockType(blockStart, .isolate)
        let (moved, _) = moveFreepagesBlock(blockStart, to: .isolate,
                                            nrFreeDelta: S.Accounting.isolationAdjustsNrFree ? -1 : 0)
        if !S.FreeLists.inListPrimitives, S.Accounting.isolateSubtractsMoved {
            zone[z].nrFreePages -= moved
            if old == .cma { zone[z].nrFreeCMAPages -= moved }
        }
        return moved
    }

    /// Mirrors `unset_migratetype_isolate()`. From 3.18 a free head of order ≥ pageblock_order
    /// whose buddy qualifies (`KernelEra.unisolateRefree`) is taken off its list and re-freed
    /// through `__free_one_page`, so it counts and can merge.
    /// - Returns: pages moved (or re-freed).
    @discardableResult
    public func unsetMigratetypeIsolate(_ pfn: Int, to requested: MigrateType) -> Int {
        let pb = geometry.pageblockPages
        let blockStart = pfn & ~(pb - 1)
        guard blockType(blockStart) == .isolate else { return 0 }
        let mt = typeAfterIsolation(blockStart, requested: requested)   // Machine+IsolateBit.swift
        let z = zoneOf(blockStart)
        var refree: Int? = nil
        if S.Era.unisolateRefree != .never, isBuddy(blockStart), order(blockStart) >= geometry.pageblockOrder {
            let o = order(blockStart)
            let buddy = blockStart ^ (1 << o)
            switch S.Era.unisolateRefree {
            case .never: break
            case .buddyBlockNotIsolated:
                // 3.18 reads the buddy's pageblock whether or not the buddy is free. A buddy
                // outside RAM has no struct page to read: the simulator moves instead.
                if pfnValid(buddy) && blockType(buddy) != .isolate { refree = o }
            case .freeBuddyBelowMaxOrder:
                if o < geometry.maxOrder && pageIsBuddy(buddy, order: o, zone: z) && blockType(buddy) != .isolate {
                    refree = o
                }
            }
        }
        var moved = 0
        if let o = refree {
            // __isolate_free_page on an ISOLATE block: unlink, no counter change.
            delFromFreeList(blockStart, zone: z)
            if S.Accounting.isolationAdjustsNrFree { nrFree[z * orders + o] += 1 }
            setBlockType(blockStart, mt)
            // __putback_isolated_page → __free_one_page: counted at the new type.
            if !S.FreeLists.inListPrimitives {
                zone[z].nrFreePages += 1 << o
                if mt == .cma { zone[z].nrFreeCMAPages += 1 << o }
            }
            // v5.10+: __putback_isolated_page frees with FPI_TO_TAIL (47b6a24a2382).
            freeOnePage(pfn: blockStart, order: o, migrateType: mt, zone: z, toTail: S.Era.freeListMovesToTail)
            moved = 1 << o
        } else if S.FreeLists.isolationSplitsLargeBuddies {
            moved = moveFreepagesBlockIsolate(blockStart, to: mt) ?? 0   // v6.10+, retypes the block
        } else {
            moved = moveFreepagesBlock(blockStart, to: mt,
                                       nrFreeDelta: S.Accounting.isolationAdjustsNrFree ? 1 : 0).moved
            if !S.FreeLists.inListPrimitives, S.Accounting.isolateSubtractsMoved {
                zone[z].nrFreePages += moved
                if mt == .cma { zone[z].nrFreeCMAPages += moved }
            }
            setBlockType(blockStart, mt)
        }
        zone[z].nrIsolatePageblock -= 1
        zone[z].nrPageblockIsolate -= 1
        return moved
    }

    /// Mirrors pre-5.19 `start_isolate_page_range()`: pageblock-aligned bounds; isolate each
    /// block; on the first failure un-isolate the ones done (to `restore`, not their original
    /// types) and fail.
    /// - Returns: total pages moved, or nil on -EBUSY (with the failing pfn in `failedAt`).
    public func startIsolatePageRange(_ start: Int, _ end: Int, restore: MigrateType,
                                      forCMA: Bool = false) -> (moved: Int?, failedAt: Int?) {
        let pb = geometry.pageblockPages
        var moved = 0
        var p = start
        while p < end {
            guard isOnline(p), let m = setMigratetypeIsolate(p, forCMA: forCMA) else {
                var q = start
                while q < p { unsetMigratetypeIsolate(q, to: restore); q += pb }
                return (nil, p)
            }
            moved += m
            p += pb
        }
        return (moved, nil)
    }

    /// Mirrors `undo_isolate_page_range()`: un-isolate every ISOLATE block in the range.
    @discardableResult
    public func undoIsolatePageRange(_ start: Int, _ end: Int, to mt: MigrateType) -> Int {
        let pb = geometry.pageblockPages
        var moved = 0
        var p = start & ~(pb - 1)
        while p < end {
            if isOnline(p) && blockType(p) == .isolate { moved += unsetMigratetypeIsolate(p, to: mt) }
            p += pb
        }
        return moved
    }

    /// Mirrors `test_pages_isolated()`: every pageblock ISOLATE, then a walk from `start` over
    /// free buddies only. Starting on the tail of a lower free block fails at once (hence
    /// `alloc_contig_range`'s outer_start).
    /// - Returns: nil on success, else the pfn where the walk stopped.
    public func testPagesIsolated(_ start: Int, _ end: Int) -> Int? {
        let pb = geometry.pageblockPages
        var b = start & ~(pb - 1)
        while b < end {
            if !isOnline(b) || blockType(b) != .isolate { return b }
            b += pb
        }
        var p = start
        while p < end {
            guard isOnline(p), isBuddy(p) else { return p }
            p += 1 << order(p)
        }
        return nil
    }
}
