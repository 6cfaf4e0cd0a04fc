/// The kernel's own compound pages of at least pageblock order at state 0 (the oracle log's
/// `compound_page` records: hugetlb pages, `kmalloc_large` buffers). Every other in-use page of
/// an import is an order-0 pinned page; these must be one compound block, because
/// `pageblock_skip_persistent()` (mm/compaction.c) keeps both compaction scanners out of every
/// pageblock under such a page — no scan, so no PB_migrate_skip — where the model would scan
/// 512 pinned pages and mark the block.
extension Machine {
    public func importCompoundPages(_ pages: [(pfn: Int, order: Int)]) throws(ImportError) {
        let pinned = AllocInfo(type: .unmovable, migratable: false, compound: false, handled: false).raw
        let head = AllocInfo(type: .unmovable, migratable: false, compound: true, handled: false).raw
        for (pfn, order) in pages {
            let end = pfn + (1 << order)
            guard pfnValid(pfn), pfnValid(end - 1) else { throw ImportError("compound page \(hex(pfn)) order \(order) lies outside the machine") }
            for q in pfn..<end where state[index(q)] != packState(.allocated, 0) || info[index(q)] != pinned {
                throw ImportError("compound page \(hex(pfn)) order \(order) overlaps a free, LRU or absent page at \(hex(q))")
            }
            for q in (pfn + 1)..<end { state[index(q)] = 0; info[index(q)] = 0 }
            _ = markAllocated(pfn: pfn, order: order, AllocInfo(raw: head))
        }
    }
}
