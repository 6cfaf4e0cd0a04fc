/// ALLOC_NOFRAGMENT (v5.0, 6bb154504f8b "mm, page_alloc: spread allocations across zones
/// before introducing fragmentation"), as in v6.1 / v6.12 mm/page_alloc.c:
/// `alloc_flags_nofragment` sets it when the preferred zone is ZONE_NORMAL (on a one-node
/// machine the kernel assumes DMA32 is populated; the flag is 0 without CONFIG_ZONE_DMA32);
/// `__rmqueue_fallback` then only takes fallback blocks of order ≥ pageblock_order (whole
/// pageblocks) for a request below pageblock_order; and `get_page_from_freelist`, having walked
/// every zone so, retries the walk without the flag.
///
/// The engine has no CONFIG_ZONE_DMA32: a machine "has" it when one of its zones is named
/// `DMA32` (the x86_64-pc preset); the preferred zone must be named `Normal`. The one-zone
/// User-Mode Linux oracle has neither. Only eras with `KernelEra.allocNoFragment` use it.
extension Machine {
    /// Whether a zonelist request whose preferred zone is `preferred` starts with ALLOC_NOFRAGMENT.
    func noFragmentApplies(preferred: Int) -> Bool {
        // v6.15 defrag_mode (e3aa7df331bc): "if (defrag_mode) { alloc_flags |= ALLOC_NOFRAGMENT;
        // return alloc_flags; }" before any look at the zones.
        if S.Defrag.enforcesNoFragment { return preferred >= 0 }
        guard S.Era.allocNoFragment, preferred >= 0, layout.zones[preferred].name == "Normal" else { return false }
        return layout.zones.contains { $0.name == "DMA32" }
    }

    /// `get_page_from_freelist` of the v6.x eras along the zonelist: every zone from the
    /// preferred one down (Movable zones only for movable requests), each checked against
    /// `min + lowmem_reserve[classzone]`; with ALLOC_NOFRAGMENT first, then without.
    /// `noFragment: false` is the slow path's call (`gfp_to_alloc_flags` has no NOFRAGMENT).
    /// `keepNoFragment`: defrag_mode's walk (v6.15 `if (no_fallback && !defrag_mode)`): a failed
    /// pass with the flag fails instead of retrying without it; only the allocator's own
    /// requests (`getPageFromFreelist`) pass it, the engine's other walks keep the retry.
    @inlinable
    public func allocateInZonelistV6(order: Int, _ type: AllocType, noFragment: Bool, flags: AllocFlags = [],
                                     keepNoFragment: Bool = false) -> Int {
        let movable = type == .movable
        let highest = zonelistHighest(movable: movable)
        guard highest >= 0 else { return -1 }
        let preferred = book.pointee.noFragmentPreferred
        var pass = noFragment && (movable ? preferred.movable : preferred.other)
        while true {
            book.pointee.noFragmentPass = pass
            var z = highest
            while z >= 0 {
                if movable || !zone[z].isMovableZone {
                    let pfn = allocateBlock(zone: z, order: order, type,
                                            reserve: lowmemReserve(zone: z, classzone: highest), flags: flags)
                    if pfn >= 0 { book.pointee.noFragmentPass = false; return pfn }
                }
                z &-= 1
            }
            book.pointee.noFragmentPass = false
            if !pass || keepNoFragment { return -1 }
            pass = false   // "if (no_fallback) { alloc_flags &= ~ALLOC_NOFRAGMENT; goto retry; }"
        }
    }

    /// Under ALLOC_NOFRAGMENT, whether `__rmqueue` in zone `z` must fail rather than fall back:
    /// the request's own lists (and CMA for movable, ALLOC_CMA) have no block of order ≥
    /// `order`, and no list of the fallback table holds a block of order ≥ pageblock_order.
    /// When a whole fallback block exists, `__rmqueue_fallback`'s top-down search finds the
    /// same block with or without the flag (at order ≥ pageblock_order `can_steal` is true, so
    /// the movable smallest-first search is never taken), so the normal path may run.
    @inlinable
    public func noFragmentRefuses(zone z: Int, order: Int, _ mt: MigrateType) -> Bool {
        let pbOrder = geometry.pageblockOrder
        guard order < pbOrder else { return false }
        var o = order
        while o <= geometry.maxOrder {
            if listCount[listIndex(z, o, mt)] != 0 { return false }
            if mt == .movable, listCount[listIndex(z, o, .cma)] != 0 { return false }
            o &+= 1
        }
        let row = fallbacks(mt)
        o = pbOrder
        while o <= geometry.maxOrder {
            if listCount[listIndex(z, o, row.0)] != 0 || listCount[listIndex(z, o, row.1)] != 0 { return false }
            if let third = row.2, listCount[listIndex(z, o, third)] != 0 { return false }
            o &+= 1
        }
        return true
    }
}
