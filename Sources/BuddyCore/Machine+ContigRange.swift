/// `alloc_contig_range` before and after v5.19 (kernel-reference §5), and `free_contig_range`.
extension Machine {
    /// Result of one `alloc_contig_range` call, with what the kernel would have logged.
    public struct ContigResult: Sendable {
        public var result: OpResult
        public var detail: String
    }

    /// Mirrors `alloc_contig_range(start, end, migratetype)`. On success `[start, end)` is
    /// allocated as order-0 pages (unmovable, no handle) until `freeContigRange`.
    public func allocContigRange(_ start: Int, _ end: Int, forCMA: Bool = false) -> ContigResult {
        guard start < end, pfnValid(start), pfnValid(end - 1), zoneOf(start) == zoneOf(end - 1) else {
            return ContigResult(result: .einval, detail: "range [\(hex(start)), \(hex(end))) not in one zone")
        }
        let restore: MigrateType = forCMA ? .cma : .movable
        let isoStart: Int, isoEnd: Int
        if S.Alignment.boundary == .none {
            // pfn_max_align_down/up: max(MAX_ORDER_NR_PAGES, pageblock_nr_pages).
            let unit = 1 << S.Alignment.isolationOrder(geometry)
            isoStart = start & ~(unit - 1)
            isoEnd = (end + unit - 1) & ~(unit - 1)
            let (moved, failedAt) = startIsolatePageRange(isoStart, isoEnd, restore: restore, forCMA: forCMA)
            if moved == nil {
                return ContigResult(result: .ebusy, detail: "isolation failed at pfn \(hex(failedAt ?? start))")
            }
        } else {
            let pb = geometry.pageblockPages
            isoStart = start & ~(pb - 1)
            isoEnd = (end + pb - 1) & ~(pb - 1)
            let r = startIsolatePageRange2022(start, end, restore: restore, forCMA: forCMA)
            if r.result != .ok {
                // v5.19+: a failed start_isolate_page_range() jumps to `done`, whose
                // undo_isolate_page_range(start, end) also un-isolates blocks someone else had
                // isolated before (v5.18 returned at once).
                undoIsolatePageRange(isoStart, isoEnd, to: restore)
                return r
            }
        }
        drainAllPages(zone: zoneOf(start))   // alloc_contig_range: pcp pages are on no free list
        let result = finishContigRange(start, end, isoStart: isoStart, isoEnd: isoEnd)
        undoIsolatePageRange(isoStart, isoEnd, to: restore)
        return result
    }

    /// The common tail: migrate, find outer_start, test, take the free pages, give back the
    /// head and tail beyond the request.
    func finishContigRange(_ start: Int, _ end: Int, isoStart: Int, isoEnd: Int) -> ContigResult {
        guard migrateContigRange(start, end) else {
            return ContigResult(result: .enomem, detail: "migration found no destination")
        }
        // outer_start: the head of a free block covering `start`, tried at increasing orders.
        var outerStart = start
        var o = 0
        while !isBuddy(outerStart) {
            o += 1
            if o > geometry.maxOrder {
                if S.Era.outerStartFallsBack { outerStart = start; break }
                return ContigResult(result: .ebusy, detail: "no free head at or below pfn \(hex(start))")
            }
            outerStart = start & ~((1 << o) - 1)
            if !pfnValid(outerStart) { outerStart = start; break }
        }
        if outerStart != start, isBuddy(outerStart), outerStart + (1 << order(outerStart)) <= start {
            outerStart = start
        }
        if let stop = testPagesIsolated(outerStart, end) {
            return ContigResult(result: .ebusy, detail: "test_pages_isolated failed at pfn \(hex(stop))")
        }
        // isolate_freepages_range(outer_start, end): take whole buddies off the lists.
        var p = outerStart
        while p < end {
            let bo = order(p)
            // v3.5–v3.7 split_free_page: "obey watermarks as if the page was being allocated" —
            // zone_watermark_ok(zone, 0, low + 2^order, 0, 0) on NR_FREE_PAGES, ISOLATE blocks
            // included (2e30abd1730a, v3.8, skips them). On refusal isolate_freepages_range
            // releases what it took (release_freepages: order-0 frees) and the call is -EBUSY.
            if S.Accounting.splitOfIsolatedChecksWatermark {
                let z = zoneOf(p)
                if !watermarkOK(zone: z, order: 0, mark: zone[z].wmarkLow + (1 << bo), allocCMA: false, safe: false) {
                    for q in outerStart..<p { freePages(pfn: q, order: 0) }
                    return ContigResult(result: .ebusy,
                                        detail: "split_free_page refused at pfn \(hex(p)): below the low watermark + \(1 << bo) pages")
                }
            }
            isolateFreePage(p, order: bo)
            for q in p..<(p + (1 << bo)) {
                state[index(q)] = packState(.allocated, 0)
                info[index(q)] = AllocInfo(type: .unmovable, migratable: false, compound: false, handled: false).raw
            }
            p += 1 << bo
        }
        let outerEnd = p
        for q in outerStart..<start { freePages(pfn: q, order: 0) }
        for q in end..<outerEnd { freePages(pfn: q, order: 0) }
        return ContigResult(result: .ok, detail: "allocated [\(hex(start)), \(hex(end)))")
    }

    /// `split_free_page()` (E2012) / `__isolate_free_page()`: unlink a free block for a caller
    /// that keeps it; NR_FREE_PAGES drops unless the block is ISOLATE and the design skips it.
    func isolateFreePage(_ pfn: Int, order o: Int) {
        let z = zoneOf(pfn)
        let mt = blockType(pfn)
        let onIsolateList = listType(pfn) == .isolate
        delFromFreeList(pfn, zone: z)
        if onIsolateList && S.Accounting.isolationAdjustsNrFree { nrFree[z * orders + o] += 1 }
        if !S.FreeLists.inListPrimitives, mt != .isolate || S.Accounting.splitOfIsolatedSubtracts {
            zone[z].nrFreePages -= 1 << o
            if mt == .cma { zone[z].nrFreeCMAPages -= 1 << o }
        }
    }

    /// Mirrors `free_contig_range()`: free `[start, start+pages)` page by page.
    public func freeContigRange(_ start: Int, pages: Int) {
        for p in start..<(start + pages) where kind(p) == .allocated {
            freeUnrefPage(pfn: p, order: order(p))   // __free_page: through the pcp where there is one
        }
    }
}

@inlinable func hex(_ v: Int) -> String { "0x" + String(v, radix: 16) }
