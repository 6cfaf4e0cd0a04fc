/// CMA areas (kernel-reference §6): declaration with the era's alignment, activation as
/// MIGRATE_CMA pageblocks, `cma_alloc` / `cma_release` through `alloc_contig_range`.
extension Machine {
    /// `CMA_MIN_ALIGNMENT_PAGES` of the alignment strategy.
    public var cmaAlignmentPages: Int { 1 << S.Alignment.isolationOrder(geometry) }

    /// Whether `[start, end)` lies inside one declared CMA area (scripted isolation of such a
    /// range acts as `cma_alloc`'s does: isolate for CMA, restore MIGRATE_CMA).
    public func rangeIsInCMAArea(_ start: Int, _ end: Int) -> Bool {
        book.pointee.cmaAreas.contains { start >= $0.base && end <= $0.base + $0.pages }
    }

    /// Mirrors `cma_init_reserved_mem(base, size)`: -EINVAL unless base and size are multiples
    /// of the minimum alignment. Returns `.ok` or `.einval`.
    public func cmaInitReservedMemCheck(basePfn: Int, pages: Int) -> OpResult {
        let a = cmaAlignmentPages
        return pages > 0 && basePfn % a == 0 && pages % a == 0 ? .ok : .einval
    }

    /// Mirrors `cma_init_reserved_mem` as the era has it: the alignment check where the function
    /// exists (v3.18+, de9e14eebf33), else -EINVAL with the reason (v3.5–v3.8 had only
    /// `dma_declare_contiguous`).
    public func cmaInitReservedMem(basePfn: Int, pages: Int) -> (result: OpResult, detail: String) {
        guard S.Era.hasCMAInitReservedMem else {
            return (.einval, "cma_init_reserved_mem does not exist in this kernel era (v3.5–v3.8 declare areas only at boot, dma_declare_contiguous)")
        }
        return (cmaInitReservedMemCheck(basePfn: basePfn, pages: pages), "alignment \(cmaAlignmentPages) pages")
    }

    /// Mirrors `cma_declare_contiguous(base, size, …, fixed)` as the era has it: a fixed base
    /// not aligned to the minimum alignment is -EINVAL (v3.17+ mm/cma.c: `if (fixed && base &
    /// (alignment - 1))`); v3.5–v3.16 `dma_declare_contiguous` rounded it up (`ALIGN(base, …)`).
    /// Size is rounded up in every era.
    /// - Returns: the (base, pages) to reserve, or nil for -EINVAL.
    public func cmaDeclareContiguous(basePfn: Int?, pages: Int) -> (base: Int?, pages: Int)? {
        if S.Era.cmaDeclareRejectsMisalignedFixedBase, let b = basePfn, b % cmaAlignmentPages != 0 { return nil }
        return cmaDeclareRounding(basePfn: basePfn, pages: pages)
    }

    /// Round size and base up to the alignment (`ALIGN(base, alignment)`, `ALIGN(size, alignment)`).
    /// - Returns: the (base, pages) actually reserved.
    public func cmaDeclareRounding(basePfn: Int?, pages: Int) -> (base: Int?, pages: Int) {
        let a = cmaAlignmentPages
        let size = (pages + a - 1) / a * a
        return (basePfn.map { ($0 + a - 1) / a * a }, size)
    }

    /// Reserve and activate an area (`cma_activate_area`): every pageblock becomes MIGRATE_CMA
    /// and its free pages move to the CMA lists. The range must be free, online and in one zone.
    /// - Returns: `.ok`, `.einval` (misplaced) or `.ebusy` (pages in use).
    @discardableResult
    public func activateCMA(name: String, basePfn: Int, pages: Int) -> OpResult {
        guard pages > 0, pfnValid(basePfn), pfnValid(basePfn + pages - 1),
              zoneOf(basePfn) == zoneOf(basePfn + pages - 1),
              basePfn % geometry.pageblockPages == 0, pages % geometry.pageblockPages == 0
        else { return .einval }
        guard !cmaAreas.contains(where: { basePfn < $0.base + $0.pages && $0.base < basePfn + pages }) else {
            return .ebusy
        }
        // Every page must be free; a free block may start below the area (split further down).
        var p = basePfn
        while p < basePfn + pages {
            guard isOnline(p), let (head, ho) = freeBlockCovering(p) else { return .ebusy }
            p = head + (1 << ho)
        }
        let z = zoneOf(basePfn)
        p = basePfn
        while p < basePfn + pages {
            let (moved, _) = moveFreepagesBlock(p, to: .cma)
            setBlockType(p, .cma)
            if !S.FreeLists.inListPrimitives { zone[z].nrFreeCMAPages += moved }
            p += geometry.pageblockPages
        }
        // A max-order free block straddling the area's edge was moved whole: split it back so the
        // outside half sits on its own pageblock's list (boot frees per pageblock, not across).
        for edge in [basePfn, basePfn + pages] where pfnValid(edge) {
            if let (head, ho) = freeBlockCovering(edge), head < edge {
                delFromFreeList(head, zone: z)
                for piece in Self.splitPieces(pfn: head, order: ho, offset: edge - head, v11: false) {
                    freeOnePage(pfn: piece.pfn, order: piece.order, migrateType: blockType(piece.pfn), zone: z)
                }
            }
        }
        zone[z].nrFreeCMAPages = truthFreeCMA(zone: z)
        cmaAreas.append((name, basePfn, pages, Array(repeating: false, count: pages)))
        return .ok
    }

    /// Mirrors `cma_alloc(cma, count, align)`: try free bitmap positions aligned to
    /// `min(order(count), 8)` (CONFIG_CMA_ALIGNMENT) with `alloc_contig_range(…, MIGRATE_CMA)`
    /// until one succeeds. Only -EBUSY moves on to the next position; any other error (-ENOMEM
    /// when migration found no destination) ends the search (`if (ret != -EBUSY) break;`,
    /// v3.5 `dma_alloc_from_contiguous` through v6.x `cma_alloc`). Returns the base pfn or nil.
    public func cmaAlloc(area a: Int, pages: Int) -> Int? {
        guard a < cmaAreas.count, pages > 0, pages <= cmaAreas[a].pages else { return nil }
        let alignOrder = min(Int.bitWidth - (pages - 1).leadingZeroBitCount, 8)
        let step = 1 << (pages == 1 ? 0 : alignOrder)
        let base = cmaAreas[a].base
        var off = 0
        while off + pages <= cmaAreas[a].pages {
            if !cmaAreas[a].bitmap[off..<(off + pages)].contains(true) {
                let r = allocContigRange(base + off, base + off + pages, forCMA: true).result
                if r == .ok {
                    for i in off..<(off + pages) { cmaAreas[a].bitmap[i] = true }
                    return base + off
                }
                if r != .ebusy { return nil }
            }
            off += step
        }
        return nil
    }

    /// Mirrors `cma_release()`: `free_contig_range` and clear the bitmap.
    public func cmaRelease(area a: Int, base: Int, pages: Int) {
        guard a < cmaAreas.count else { return }
        freeContigRange(base, pages: pages)
        for i in (base - cmaAreas[a].base)..<(base - cmaAreas[a].base + pages) { cmaAreas[a].bitmap[i] = false }
    }
}
