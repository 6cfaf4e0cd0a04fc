import BuddyCore

/// A kernel allocation replayed where the kernel's own `__rmqueue` decided more than the page:
/// a page in a pageblock of another type than the request's was a fallback — with its claim of
/// the block (`steal_suitable_fallback` / `try_to_claim_block`) or its steal — or sat on the
/// request type's list inside a foreign block. Taking it at its pfn (`Machine.foreignAlloc`)
/// would move the page but not the block's type. So the simulator's allocator runs instead
/// (its lists are the kernel's in lockstep): it must take the very same page, the claim
/// included, or the replay reports which page it took. Found by the oracle: 6.1.192 seed 3,
/// command 685 — the `free` of an anon mapping (`vm_munmap`), whose mmu_gather batch page
/// (`__get_free_page(GFP_NOWAIT)`, unmovable) fell back into a reclaimable pageblock and claimed
/// it; the exact-pfn replay left 0x1400 reclaimable and the unmap's frees went to other lists.
/// Without per-cpu lists only: with them an order-0 request is served from the pcp list
/// (`Machine.foreignAllocThroughPCP`).
extension SimulatedKernel {
    /// Whether the kernel allocation `e` is replayed through the allocator.
    func needsAllocatorReplay(_ e: ForeignEvent) -> Bool {
        guard e.isAlloc, !m.layout.perCPUListsEnabled, m.pfnValid(e.pfn), m.freeBlockCovering(e.pfn) != nil else {
            return false
        }
        return m.blockType(e.pfn) != e.type.migrateType
    }

    /// Runs `alloc_pages` for `e` on the simulator (the driver's mask: far from the marks the
    /// kernel's GFP_NOWAIT / GFP_KERNEL requests take the same fast path). Returns the handle of
    /// the page when it is `e.pfn`; otherwise frees what it took and says which page that was.
    func replayThroughAllocator(_ e: ForeignEvent, migratable: Bool) -> (handle: Int?, problem: String?) {
        let pfn = m.allocPages(zone: nil, order: e.order, e.type, gfp: OracleGFP().mask(for: e.type))
        guard pfn >= 0 else { return (nil, "\(e): the simulator's allocator found no page (the kernel took \(hexString(e.pfn)))") }
        let h = m.markAllocated(pfn: pfn, order: e.order,
                                AllocInfo(type: e.type, migratable: migratable, compound: !migratable && (e.compound ?? (e.order > 0))))
        guard pfn == e.pfn else {
            m.free(handle: h)
            return (nil, "\(e): the simulator's allocator took \(hexString(pfn)), the kernel \(hexString(e.pfn)) (a fallback from a \(m.blockType(e.pfn).oracleName) pageblock)")
        }
        return (h, nil)
    }
}
