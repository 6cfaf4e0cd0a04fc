/// The engine side of the reclaim stand-in: the executor tells the machine which requests went
/// onto an LRU and which were freed by the workload, and the stand-in (`ReclaimModel`) takes the
/// oldest ones back. Inactive (every call a single branch) unless the program has `reclaim:`.
extension Machine {
    @inlinable public var reclaim: ReclaimState {
        _read { yield book.pointee.reclaim }
        _modify { yield &book.pointee.reclaim }
    }

    /// Turns the stand-in on for a run (`Program.reclaim`).
    public func enableReclaim(_ config: ReclaimConfig, classes: [UInt8], requestCount: Int) {
        book.pointee.reclaim.activate(config, classes: classes, requestCount: requestCount, zones: zoneCount)
    }

    /// After request `r` was allocated as handle `h` (-1: it failed): a page cache (or, with
    /// swap, anon) request goes to the young end of its LRU (`folio_add_lru`).
    @inlinable
    public func reclaimNoteAlloc(request r: Int32, handle h: Int) {
        guard h >= 0, r >= 0, Int(r) < book.pointee.reclaim.classes.count,
              let l = book.pointee.reclaim.lru(of: book.pointee.reclaim.classes[Int(r)]) else { return }
        book.pointee.reclaim.push(r, handle: h, lru: l)
        let pfn = Int(book.pointee.handles[h])
        let pages = 1 << order(pfn)
        if l == 0 { book.pointee.reclaim.lruPages.file &+= pages } else { book.pointee.reclaim.lruPages.anon &+= pages }
        book.pointee.reclaim.reclaimablePerZone[zoneOf(pfn)] &+= pages
    }

    /// Before the workload frees request `r`: false when reclaim has already freed it (the free
    /// is then a no-op), else unlinks it from its LRU and returns true.
    @inlinable
    public func reclaimNoteFree(request r: Int32) -> Bool {
        guard r >= 0, Int(r) < book.pointee.reclaim.handle.count else { return true }
        let h = book.pointee.reclaim.handle[Int(r)]
        if h == ReclaimState.reclaimed { return false }
        if h >= 0 { _ = takeOffLRU(r) }
        return true
    }

    /// Unlinks `r` and drops its pages from the LRU counts; returns (handle, pfn, pages).
    @usableFromInline
    func takeOffLRU(_ r: Int32) -> (handle: Int, pfn: Int, pages: Int) {
        let h = Int(book.pointee.reclaim.handle[Int(r)])
        let l = book.pointee.reclaim.lru(of: book.pointee.reclaim.classes[Int(r)]) ?? 0
        book.pointee.reclaim.unlink(r, lru: l)
        book.pointee.reclaim.handle[Int(r)] = -1
        let pfn = Int(book.pointee.handles[h])
        let pages = 1 << order(pfn)
        if l == 0 { book.pointee.reclaim.lruPages.file &-= pages } else { book.pointee.reclaim.lruPages.anon &-= pages }
        book.pointee.reclaim.reclaimablePerZone[zoneOf(pfn)] &-= pages
        return (h, pfn, pages)
    }

    /// Reclaims the oldest request on the LRUs — file first, anon (only on its LRU with swap)
    /// when no file page is left — and frees it. Returns the pages freed, 0 when nothing is left.
    public func reclaimOldest() -> Int {
        var l = 0
        var r = book.pointee.reclaim.headOf(0)
        if r < 0 { l = 1; r = book.pointee.reclaim.headOf(1) }
        guard r >= 0 else { return 0 }
        let (h, _, pages) = takeOffLRU(r)
        book.pointee.reclaim.handle[Int(r)] = ReclaimState.reclaimed
        free(handle: h)
        if l == 0 { book.pointee.reclaim.pgstealFile &+= pages } else {
            book.pointee.reclaim.pgstealAnon &+= pages
            book.pointee.reclaim.pswpout &+= pages
        }
        return pages
    }

    /// `pgdat_balanced(pgdat, order, highest_zoneidx)`: some zone up to `highest` passes
    /// `zone_watermark_ok_safe(zone, order, high_wmark)`. v6.15 defrag_mode (a211c6550efc,
    /// a1f0220f3319): for order > 0 the high mark must be met in NR_FREE_PAGES_BLOCKS.
    public func pgdatBalanced(order: Int, highestZone: Int) -> Bool {
        for z in 0...max(0, min(highestZone, zoneCount - 1)) where zone[z].managedPages > 0 {
            if S.Defrag.watermarksInFreeBlocks && order > 0 {
                if freeBlocksWatermarkOK(zone: z, order: order, mark: zone[z].wmarkHigh) { return true }
                continue
            }
            if kswapdWatermarkOK(zone: z, order: order, mark: zone[z].wmarkHigh) { return true }
        }
        return false
    }

    /// `zone_reclaimable_pages` of zone `z` (0 when the stand-in is off).
    @inlinable
    public func reclaimablePages(zone z: Int) -> Int {
        book.pointee.reclaim.active ? book.pointee.reclaim.reclaimablePerZone[z] : 0
    }
}
