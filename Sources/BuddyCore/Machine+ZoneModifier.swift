/// Requests with a zone modifier: `__GFP_DMA` / `__GFP_DMA32` (v6.1 / v6.12
/// include/linux/gfp.h `gfp_zone()` and `GFP_ZONE_TABLE`: DMA → ZONE_DMA, DMA32 → ZONE_DMA32,
/// whatever `__GFP_MOVABLE` says — only HIGHMEM is promoted to MOVABLE). `prepare_alloc_pages`
/// sets `ac->highest_zoneidx` to that zone, so the zonelist walk of `get_page_from_freelist`
/// starts there (`first_zones_zonelist`) and goes down; every zone it tries keeps
/// `lowmem_reserve[highest_zoneidx]` (`zone_watermark_fast`), and `alloc_flags_nofragment`
/// adds ALLOC_NOFRAGMENT only when that first zone is ZONE_NORMAL — never for DMA or DMA32.
/// The migratetype is still the mask's (`gfp_migratetype`), and so is ALLOC_CMA for a movable
/// request (`gfp_to_alloc_flags_cma`).
extension Machine {
    /// `__alloc_pages` (Machine+SlowPath.swift) with `ac->highest_zoneidx` = engine zone
    /// `highest`: the zonelist, its reserves and NOFRAGMENT as the kernel derives them from the
    /// zone modifier. Returns the head pfn or -1.
    public func allocPages(highestZone highest: Int, order: Int, _ type: AllocType, gfp: GFPMask) -> Int {
        precondition(highest >= 0 && highest < zoneCount, "zone \(highest) out of range")
        let saved = (book.pointee.zonelistCap, book.pointee.noFragmentPreferred)
        book.pointee.zonelistCap = highest
        book.pointee.noFragmentPreferred = (noFragmentApplies(preferred: zonelistHighest(movable: true)),
                                            noFragmentApplies(preferred: zonelistHighest(movable: false)))
        defer { (book.pointee.zonelistCap, book.pointee.noFragmentPreferred) = saved }
        return allocPages(zone: nil, order: order, type, gfp: gfp)
    }

    /// The oracle driver's `alloc … dma|dma32` (`allocatePinned(order:type:gfp:)` with a zone
    /// modifier): a pinned page from the zonelist that starts at engine zone `highest`.
    public func allocatePinned(order: Int, type: AllocType, gfp: GFPMask, highestZone highest: Int) -> Int {
        let pfn = allocPages(highestZone: highest, order: order, type, gfp: gfp)
        guard pfn >= 0 else { stats.allocFailures += 1; return -1 }
        stats.allocs += 1
        return markAllocated(pfn: pfn, order: order,
                             AllocInfo(type: type, migratable: false, compound: gfp.contains(.comp) && order > 0))
    }
}
