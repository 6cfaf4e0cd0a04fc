/// v5.19 arbitrary-range isolation: `start_isolate_page_range` with `isolate_single_pageblock`
/// and `split_free_page` (kernel-reference §4.4–§4.5), in the "fixed" form and as v11 posted.
extension Machine {
    /// Piece orders `split_free_page` frees a block of `order` at `pfn` in, split at `offset`.
    /// Fixed rule (88ee134320b8): `min(ctz(pfn) (or order if pfn == 0), floor(log2(remaining)))`.
    /// v11 as posted: `ffs(split_pfn_offset) - 1` = `ctz(remaining)` with no alignment clamp, so
    /// pfn 0x10000, offset 0xc000 gives 0x4000 at 0x10000 then an order-15 piece at the
    /// misaligned 0x14000 (possible once max_order ≥ pageblock_order + 2); `splitFreePage`
    /// detects such a piece as a fault.
    public static func splitPieces(pfn: Int, order: Int, offset: Int, v11: Bool) -> [(pfn: Int, order: Int)] {
        guard offset > 0 else { return [(pfn, order)] }
        var out: [(Int, Int)] = []
        var p = pfn, remaining = offset
        let end = pfn + (1 << order)
        while p < end {
            let alignOrder = p == 0 ? order : p.trailingZeroBitCount
            let remOrder = v11 ? remaining.trailingZeroBitCount : (Int.bitWidth - 1 - remaining.leadingZeroBitCount)
            let o = v11 ? remOrder : min(alignOrder, remOrder)
            out.append((p, o))
            p += 1 << o
            remaining -= 1 << o
            if remaining == 0 { remaining = end - p }
        }
        return out
    }

    /// Mirrors `split_free_page(free_page, order, split_pfn_offset)`: take the block off its list,
    /// subtract it unless its pageblock is ISOLATE (the decrement v11 lacked, 86d28b070927), then
    /// free the pieces, each with its own pageblock's migratetype, through `__free_one_page`.
    /// - Returns: false when v11's piece rule produced a piece misaligned for its order (the
    ///   kernel would hand `__free_one_page` a corrupt block): recorded as a fault, and the
    ///   pieces are freed by the fixed rule so the simulation stays sound.
    @discardableResult
    public func splitFreePage(_ pfn: Int, order o: Int, offset: Int) -> Bool {
        guard offset > 0 else { return true }
        let z = zoneOf(pfn)
        let mt = blockType(pfn)
        let v11 = S.Alignment.boundary == .v11Posted
        var pieces = Self.splitPieces(pfn: pfn, order: o, offset: offset, v11: v11)
        var sound = true
        if let bad = pieces.first(where: { $0.pfn & ((1 << $0.order) - 1) != 0 }) {
            recordFault("misaligned-split", pfn: bad.pfn,
                        "split_free_page(\(hex(pfn)), order \(o), offset \(hex(offset))) frees an order-\(bad.order) piece at \(hex(bad.pfn)), not aligned to its order (ffs(split_pfn_offset) - 1 without the alignment clamp of 88ee134320b8)")
            pieces = Self.splitPieces(pfn: pfn, order: o, offset: offset, v11: false)
            sound = false
        }
        let wasOnIsolateList = listType(pfn) == .isolate
        delFromFreeList(pfn, zone: z)
        if wasOnIsolateList && S.Accounting.isolationAdjustsNrFree { nrFree[z * orders + o] += 1 }
        if !S.FreeLists.inListPrimitives, !v11 && mt != .isolate {
            zone[z].nrFreePages -= 1 << o
            if mt == .cma { zone[z].nrFreeCMAPages -= 1 << o }
        }
        for piece in pieces {
            freeCounted(pfn: piece.pfn, order: piece.order, blockType(piece.pfn))
        }
        return sound
    }

    /// Mirrors v5.19 `start_isolate_page_range(start, end, …)`: align to pageblocks internally,
    /// isolate the first and last pageblock with boundary handling, then the ones between.
    public func startIsolatePageRange2022(_ start: Int, _ end: Int, restore: MigrateType,
                                          forCMA: Bool) -> ContigResult {
        let pb = geometry.pageblockPages
        let isoStart = start & ~(pb - 1)
        let isoEnd = (end + pb - 1) & ~(pb - 1)
        let single = isoStart == isoEnd - pb
        var r = isolateSinglePageblock(isoStart, before: false, skip: false, restore: restore, forCMA: forCMA)
        guard r.result == .ok else { return r }
        // 9b209e557d69: a one-pageblock range must not isolate its block twice (v11 only flipped).
        r = isolateSinglePageblock(isoEnd, before: true, skip: single && S.Alignment.boundary == .fixed,
                                   restore: restore, forCMA: forCMA)
        guard r.result == .ok else {
            unsetMigratetypeIsolate(isoStart, to: restore)
            return r
        }
        var p = isoStart + pb
        while p < isoEnd - pb {
            if setMigratetypeIsolate(p, forCMA: forCMA) == nil {
                // Undo only what this call isolated: [isolate_start, pfn) and the end block
                // (v5.19 start_isolate_page_range). A block in [pfn, end) that is ISOLATE belongs
                // to another caller and must stay so.
                undoIsolatePageRange(isoStart, p, to: restore)
                unsetMigratetypeIsolate(isoEnd - pb, to: restore)
                return ContigResult(result: .ebusy, detail: "has_unmovable_pages in pageblock at \(hex(p))")
            }
            p += pb
        }
        return ContigResult(result: .ok, detail: "")
    }

    /// Mirrors `isolate_single_pageblock(boundary_pfn, …, isolate_before, skip_isolation, mt)`.
    func isolateSinglePageblock(_ boundary: Int, before: Bool, skip: Bool, restore: MigrateType,
                                forCMA: Bool) -> ContigResult {
        let pb = geometry.pageblockPages
        let block = before ? boundary - pb : boundary
        let z = zoneOf(block)
        let startPfn = max(block & ~(geometry.maxOrderPages - 1), zone[z].startPfn)
        let v11 = S.Alignment.boundary == .v11Posted
        // v5.19 as tagged: saved_mt = the block's own type, passed to set_migratetype_isolate
        // (a CMA boundary block passes has_unmovable_pages for any caller) and restored on
        // failure; 80e2b584f3ab (v6.0) passes the caller's migratetype instead.
        let savedType = blockType(block)
        let ownType = S.Alignment.boundaryIsolatesWithSavedMigratetype
        let restoreOnFailure = ownType || v11 ? savedType : restore
        if !skip {
            if v11 {
                // v11 only flipped the type with a bare set_pageblock_migratetype: no unmovable
                // check, no move, no accounting — nr_isolate_pageblock is not incremented. The
                // type it replaced is remembered all the same, so `isolation_retyped_pageblocks`
                // sees the un-isolation write back the caller's type (issue 18 item 3).
                if savedType != .isolate { rememberTypeBeforeIsolation(block, savedType) }
                setBlockType(block, .isolate)
            } else if setMigratetypeIsolate(block, forCMA: ownType ? savedType == .cma : forCMA,
                                            checkRange: block..<(block + pb)) == nil {
                return ContigResult(result: .ebusy, detail: "has_unmovable_pages in pageblock at \(hex(block))")
            }
        }
        // The other side of the boundary must be online memory, else nothing can straddle it.
        if !isOnline(before ? boundary : boundary - 1) { return ContigResult(result: .ok, detail: "") }
        func fail(_ why: String, _ result: OpResult = .ebusy) -> ContigResult {
            // v11 undid its bare flip with a bare set_pageblock_migratetype (inferred from the
            // flip: nothing was moved or counted, so nothing is moved back).
            if !skip {
                if v11 {
                    setBlockType(block, restoreOnFailure)
                    forgetTypesBeforeIsolation(block, block + pb)
                } else { unsetMigratetypeIsolate(block, to: restoreOnFailure) }
            }
            return ContigResult(result: result, detail: why)
        }
        var handledHeads: [Int] = []
        var pfn = startPfn
        while pfn < boundary {
            if isBuddy(pfn) {
                let o = order(pfn)
                // v6.10+: move_freepages_block_isolate() already split any buddy straddling
                // the boundary (the kernel only warns here).
                if pfn + (1 << o) > boundary, !S.FreeLists.isolationSplitsLargeBuddies,
                   !splitFreePage(pfn, order: o, offset: boundary - pfn) {
                    return fail(faults.last?.detail ?? "fault", .fault)
                }
                pfn += 1 << o
                continue
            }
            guard let (head, ho) = allocatedBlockCovering(pfn) else { pfn += 1; continue }
            // A non-compound block: the kernel steps over its pages one by one (neither PageBuddy
            // nor PageCompound); skipping the block at once gives the same outcome without a
            // backward head search per page (it was a quarter of a 100,000-command lockstep).
            guard AllocInfo(raw: info[index(head)]).compound else { pfn = max(pfn + 1, head + (1 << ho)); continue }
            let nr = 1 << ho
            if v11 ? head + nr < boundary : head + nr <= boundary { pfn = head + nr; continue }
            if v11 {
                if handledHeads.contains(head) {
                    recordFault("unbounded-loop", pfn: head,
                                "isolate_single_pageblock met compound page \(hex(head)) (order \(ho)) again after migrating it: the kernel loops forever")
                    return fail(faults.last?.detail ?? "fault", .fault)
                }
                handledHeads.append(head)
                // v11 "migrates" any compound page; __alloc_contig_migrate_range reports success
                // even when nothing could be isolated for migration.
                if AllocInfo(raw: info[index(head)]).migratable { migrateBlock(head) }
                // Unbounded search for the free head now covering pfn.
                var o = 0
                var probe = pfn
                while true {
                    probe = pfn & ~((1 << o) - 1)
                    if !pfnValid(probe) {
                        recordFault("invalid-pfn", pfn: probe,
                                    "backward PageBuddy search from \(hex(pfn)) reached pfn \(hex(probe)) below ram_start \(hex(ramStart)): pfn_to_page() of absent memory")
                        return fail(faults.last?.detail ?? "fault", .fault)
                    }
                    if isBuddy(probe) { break }
                    o += 1
                    if o >= Int.bitWidth - 1 {
                        recordFault("unbounded-loop", pfn: pfn, "backward PageBuddy search from \(hex(pfn)) never terminates")
                        return fail(faults.last?.detail ?? "fault", .fault)
                    }
                }
                pfn = probe
                continue
            }
            if S.FreeLists.isolationSplitsLargeBuddies {
                // v6.10+ (fd919a85cd55): only hugetlb pages (not modelled) are migrated here;
                // LRU / movable compound pages "are not expected to exceed pageblock_order".
                return fail("compound page \(hex(head)) order \(ho) straddles \(hex(boundary))")
            }
            // Fixed: migrate only movable compound pages, search bounded at MAX_ORDER.
            guard AllocInfo(raw: info[index(head)]).migratable else {
                return fail("unmovable compound page \(hex(head)) order \(ho) straddles \(hex(boundary))")
            }
            guard migrateBlock(head) else { return fail("migration of \(hex(head)) failed") }
            guard let (fh, _) = freeBlockCovering(pfn) else {
                return fail("no free head covering \(hex(pfn)) after migration")
            }
            pfn = fh
        }
        return ContigResult(result: .ok, detail: "")
    }
}
