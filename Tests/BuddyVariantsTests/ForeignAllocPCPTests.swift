import BuddyCore
import BuddyVariants
import Testing

/// Replaying another task's order-0 allocation with per-cpu lists on
/// (`Machine.foreignAllocThroughPCP`). The kernel granted it, so its request passed a watermark
/// check; a non-blocking one (the mmu_gather batch page of an anon unmap: `tlb_next_batch`,
/// `GFP_NOWAIT`) gets ALLOC_WMARK_MIN | ALLOC_NON_BLOCK from `gfp_to_alloc_flags`, and
/// ALLOC_NON_BLOCK is in ALLOC_RESERVES, so `__zone_watermark_unusable_free` does not count the
/// reserved HIGHATOMIC pages against it (mm/page_alloc.c, Debian linux-source-6.1 6.1.192).
/// Found by the 6.1 `--pcp` lockstep, seed 1, command 701: 1,226 free non-CMA pages, 2,048
/// reserved, min 713 — the plain MIN check failed where the kernel took the pcp list's head.
@Suite struct ForeignAllocPCPTests {
    /// Takes free blocks at their exact pfns (no watermark) until NR_FREE_PAGES is `target`.
    static func fill(_ m: Machine<Linux61>, downTo target: Int) {
        while m.zone[0].nrFreePages > target {
            let want = m.zone[0].nrFreePages - target
            var o = 0
            while o < m.geometry.maxOrder, 2 << o <= want { o += 1 }
            let head = (o...m.geometry.maxOrder).lazy.compactMap { k in
                MigrateType.allCases.filter { $0 != .isolate && $0 != .highatomic }
                    .lazy.compactMap { m.listContents(zone: 0, order: k, $0).first }.first
            }.first
            guard let pfn = head else { return }
            _ = m.allocate(atPfn: pfn, order: o, type: .unmovable, compound: false)
        }
    }

    @Test func nonBlockingForeignAllocPassesWhereThePlainCheckFails() throws {
        let m = Machine<Linux61>(layout: layout(pages: 32768, block: 32768))
        let min = m.zone[0].wmarkMin
        // One pageblock reserved HIGHATOMIC (allocated, so none of its pages is free).
        let h = m.allocate(zone: 0, order: 9, type: .unmovable)
        #expect(h >= 0)
        #expect(m.reserveHighatomicPageblock(Int(m.handlePfn[h]), order: 9) == .ok)
        #expect(m.zone[0].nrReservedHighatomic == 512)
        // Pages on the unmovable pcp list (an order-0 unmovable allocation refills it from the
        // buddy: `rmqueue_bulk`), then the zone 100 pages above min: above MIN for
        // ALLOC_RESERVES, 412 below it for a request that must leave the 512 reserved pages.
        #expect(m.allocate(zone: 0, order: 0, type: .unmovable) >= 0)
        let unmovable0 = PerCPUPages.pindex(.unmovable, order: 0)
        let list = m.pcpListContents(cpu: 0, zone: 0, pindex: unmovable0)
        let pfn = try #require(list.first)
        Self.fill(m, downTo: min + 100)
        #expect(m.zone[0].nrFreePages == min + 100)
        // The plain MIN check refuses (and changes nothing) …
        #expect(m.allocateBlock(zone: 0, order: 0, .unmovable) == -1)
        #expect(m.pcpListContents(cpu: 0, zone: 0, pindex: unmovable0) == list)
        // … the replay takes the pcp list's head, as the kernel's non-blocking request did.
        #expect(m.foreignAllocThroughPCP(pfn: pfn, order: 0, type: .unmovable) == .ok)
        #expect(m.kind(pfn) == .allocated)
        #expect(m.pcpListContents(cpu: 0, zone: 0, pindex: unmovable0) == Array(list.dropFirst()))
        #expect(m.zone[0].nrFreePages == min + 100)
        #expect(m.structuralViolations().isEmpty)
    }
}
