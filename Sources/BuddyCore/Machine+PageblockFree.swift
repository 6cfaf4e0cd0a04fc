/// How free each pageblock is at the end of a run, for the report's pageblock heatmap.
extension Machine {
    /// Per zone, one hex digit per pageblock: the share of the block's pages that sit on a buddy
    /// free list (any list, ISOLATE included), in sixteenths rounded down and capped at `f`
    /// (`0` none free … `f` at least 15/16 free). Offline blocks read `0`.
    ///
    /// Walks each zone once, jumping over free and allocated blocks by their order, as
    /// `mixedPageblocks` does; a free block larger than a pageblock credits every block it covers.
    /// Offline memory blocks are skipped whole: no buddy or allocated block crosses a memory
    /// block boundary (a memory block is a multiple of the largest buddy block).
    public func pageblockFreeShares() -> [(zone: String, shares: String)] {
        let pb = geometry.pageblockPages
        let digits = Array("0123456789abcdef")
        return (0..<zoneCount).map { z in
            let start = zone[z].startPfn, end = zone[z].endPfn
            var free = Array(repeating: 0, count: (end - start + pb - 1) / pb)
            var p = start
            var blockEnd = start   // end of the online memory block `p` is in
            while p < end {
                if p >= blockEnd {
                    blockEnd = min(end, ramStart + (memoryBlock(of: p) + 1) * layout.memoryBlockPages)
                    guard isOnline(p) else { p = blockEnd; continue }
                }
                let k = kind(p)
                if k == .buddy {
                    let pages = min(1 << order(p), end - p)
                    var q = p
                    while q < p + pages {
                        let inBlock = min(pb - (q - start) % pb, p + pages - q)
                        free[(q - start) / pb] += inBlock
                        q += inBlock
                    }
                    p += max(1, pages)
                } else if k == .allocated {
                    p += max(1, min(1 << order(p), end - p))
                } else {
                    p += 1
                }
            }
            return (layout.zones[z].name, String(free.map { digits[min(15, $0 * 16 / pb)] }))
        }
    }
}
