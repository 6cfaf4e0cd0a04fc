import BuddyCore
import BuddyVariants
import Testing

/// `pcp_allowed_order()` (mm/page_alloc.c, Debian linux-source-6.1 6.1.192 and 6.12.118):
/// `order <= PAGE_ALLOC_COSTLY_ORDER`, and `order == pageblock_order` only under
/// `#ifdef CONFIG_TRANSPARENT_HUGEPAGE` — without THP (the User-Mode Linux oracle kernel)
/// NR_PCP_THP is 0 and a pageblock-order free goes to `__free_pages_ok`, an allocation to
/// `rmqueue_buddy`.
@Suite struct PCPAllowedOrderTests {
    static func machine(thp: Bool) -> Machine<Linux61> {
        var l = layout(pages: 32768, block: 32768)
        l.transparentHugepage = thp
        return Machine<Linux61>(layout: l)
    }

    @Test func pageblockOrderUsesThePCPOnlyWithTHP() {
        for thp in [true, false] {
            let m = Self.machine(thp: thp)
            let order = m.geometry.pageblockOrder
            #expect(m.pcpAllowedOrder(3))
            #expect(!m.pcpAllowedOrder(4))
            #expect(m.pcpAllowedOrder(order) == thp)
            let h = m.allocate(zone: 0, order: order, type: .movable)
            let pfn = Int(m.handlePfn[h])
            let free = m.zone[0].nrFreePages
            m.free(handle: h)
            let thpList = m.pcpListContents(cpu: 0, zone: 0, pindex: PerCPUPages.pindex(.movable, order: order))
            if thp {
                // rmqueue_bulk took max(batch 7 >> 9, 2) = 2 blocks, one handed out; the free puts
                // it at the list's head, count 1024 ≥ high 452, nr_pcp_free = 7 pages: one block
                // from the tail (the refill's second) goes back to the buddy.
                #expect(thpList == [pfn])
                #expect(m.pcpCount(cpu: 0, zone: 0) == 512)
            } else {
                // Straight from and back to the buddy: no pcp list holds anything.
                #expect(thpList.isEmpty)
                #expect(m.pcpCount(cpu: 0, zone: 0) == 0)
            }
            #expect(m.zone[0].nrFreePages == free + 512)
            #expect(m.structuralViolations().isEmpty)
        }
    }
}
