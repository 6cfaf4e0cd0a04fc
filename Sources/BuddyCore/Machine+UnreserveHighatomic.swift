/// Releasing HIGHATOMIC reserves when an allocation is about to fail (v4.4+,
/// `unreserve_highatomic_pageblock`, v6.1 / v6.12 mm/page_alloc.c), and the direct-reclaim
/// retry of the v6.x eras that calls it.
///
/// The engine has no reclaim: `__alloc_pages_direct_reclaim` reclaims nothing, so what is left of
/// it is "if the allocation fails: `unreserve_highatomic_pageblock(ac, false)`,
/// `drain_all_pages(NULL)`, retry once". Not modelled: the forced unreserve of
/// `should_reclaim_retry` (`unreserve_highatomic_pageblock(ac, true)`), reached only after
/// MAX_RECLAIM_RETRIES retries that a reclaim model would have to justify.
extension Machine {
    /// Mirrors `unreserve_highatomic_pageblock(ac, force)` for a request of `type`: over the
    /// request's zones (the zonelist from `zonelistHighest` down, or zone `z` alone for a
    /// request in one zone), skipping a zone whose reserve is at most one pageblock unless
    /// `force`; in a zone, the first HIGHATOMIC free page of the lowest order: if its pageblock
    /// is still HIGHATOMIC the reserve shrinks by `min(pageblock_nr_pages, reserve)`; the block
    /// becomes the requester's type and its free pages move there (`move_freepages_block`);
    /// done when that moved a page. A free HIGHATOMIC block above pageblock_order: v6.1 retypes
    /// only the head's pageblock; with `KernelEra.highatomicMultiBlockTyping` (Debian 6.12.118)
    /// the reserve shrinks by `min(max(pageblock, 2^order), reserve)`, the block moves to the
    /// requester's list whole (`move_to_free_list`) and every pageblock of it is retyped.
    /// - Returns: true when a block was released.
    @discardableResult
    public func unreserveHighatomicPageblock(zone requestZone: Int?, _ type: AllocType, force: Bool) -> Bool {
        let movable = type == .movable
        let top = requestZone ?? zonelistHighest(movable: movable)
        let bottom = requestZone ?? 0
        guard top >= 0 else { return false }
        let pb = geometry.pageblockPages
        let mt = type.migrateType
        for z in stride(from: top, through: bottom, by: -1) where movable || !zone[z].isMovableZone {
            if !force && zone[z].nrReservedHighatomic <= pb { continue }
            for o in 0...geometry.maxOrder {
                let h = listHead[listIndex(z, o, .highatomic)]
                guard h != frameNil else { continue }
                let page = pfnOf(Int(h))
                if S.Era.highatomicMultiBlockTyping, o >= geometry.pageblockOrder {
                    if blockType(page) == .highatomic {
                        zone[z].nrReservedHighatomic -= min(max(pb, 1 << o), zone[z].nrReservedHighatomic)
                    }
                    moveToFreeList(page, mt, zone: z)
                    changePageblockRange(page, order: o, mt)
                    return true
                }
                if blockType(page) == .highatomic {
                    zone[z].nrReservedHighatomic -= min(pb, zone[z].nrReservedHighatomic)
                }
                setBlockType(page & ~(pb - 1), mt)
                if moveFreepagesBlock(page, to: mt).moved > 0 { return true }
            }
        }
        return false
    }

    /// What the v6.x eras do when a request found no page (`__alloc_pages_direct_reclaim` with
    /// nothing reclaimed): release a HIGHATOMIC block, drain the pcp lists, and retry once with
    /// the slow path's flags (no ALLOC_NOFRAGMENT). Nothing released and nothing drained: the
    /// retry would see the same state, so it is skipped (no watermark check is counted).
    @inlinable
    public func directReclaimRetry(zone z: Int?, order: Int, _ type: AllocType) -> Int {
        let released = unreserveHighatomicPageblock(zone: z, type, force: false)
        let drained = S.Era.pcp != .none && totalPCPPages > 0
        if drained { drainAllPages(zone: nil) }
        guard released || drained else { return -1 }
        if let z { return allocateBlock(zone: z, order: order, type) }
        return allocateInZonelistV6(order: order, type, noFragment: false)
    }
}
