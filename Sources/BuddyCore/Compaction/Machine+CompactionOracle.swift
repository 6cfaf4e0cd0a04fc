/// Compaction as the oracle driver runs it and reports it (scripts/oracle/PROTOCOL.md): the
/// direct compaction of `compact ORDER TYPE PRIO`, and the zone's compaction state imported
/// from and read back in the kernel's terms (`compaction` / `skip` records).
extension Machine {
    /// The driver's `buddylab_compact_order()`: what `__alloc_pages_direct_compact` runs for an
    /// order-`order` `type` request before it tries the lists again — `try_to_compact_pages`
    /// with ALLOC_WMARK_MIN and `gfp_to_alloc_flags_cma` (ALLOC_CMA for movable), capture on;
    /// a captured page is allocated as `prep_new_page` leaves it (pinned, not compound, given a
    /// handle) and `compaction_defer_reset(zone, order, true)` runs for it.
    /// - Parameter highestZone: `ac->highest_zoneidx` when it is not the zonelist's top: the
    ///   driver's mask has no `__GFP_HIGHMEM`, so with a Movable zone `gfp_zone()` is ZONE_NORMAL
    ///   even for a movable request and Movable is not compacted (6.1 pc `--movablecore`, seed 1,
    ///   `compact 5 movable async` at command 62: the kernel compacted Normal).
    /// - Returns: the `enum compact_result` and the captured page's handle (-1: none).
    public func directCompactForDriver(order: Int, type: AllocType, priority: CompactPriority,
                                       highestZone: Int? = nil) -> (status: CompactStatus, handle: Int) {
        let savedCap = book.pointee.zonelistCap
        if let highestZone { book.pointee.zonelistCap = highestZone }
        defer { book.pointee.zonelistCap = savedCap }
        let run = tryToCompactPages(order: order, zone: nil, type, priority: priority,
                                    flags: type == .movable ? [.cma] : [], capture: true)
        let pfn = takeCapturedPage()
        guard pfn >= 0 else { return (run.status, -1) }
        compactionDeferReset(zone: zoneOf(pfn), order: order, allocSuccess: true)
        // compactionCapture marked it allocated without a handle; the driver holds it as `alloc` does.
        let h = markAllocated(pfn: pfn, order: order, AllocInfo(type: type, migratable: false, compound: false))
        return (.success, h)
    }

    /// The driver's `buddylab_proactive()`: kcompactd's proactive pass at
    /// `vm.compaction_proactiveness` = `proactiveness` (`should_proactive_compact_node`, then
    /// the pass), the previous value restored after. Returns whether the pass ran.
    public func proactiveCompactPass(proactiveness: Int) -> Bool {
        compactionSetUp()
        let old = compaction.proactiveness
        defer { compaction.proactiveness = old }
        setCompactionProactiveness(proactiveness)
        guard shouldProactiveCompact() else { return false }
        proactiveCompact()
        return true
    }

    /// Takes zone `z`'s `compact_*` fields and the skip bits of the pageblocks from
    /// `skipStart` (nil: no memmap, left clear) from the kernel: foreign facts at import.
    public func importCompaction(zone z: Int, fields: ZoneCompaction?, skipStart: Int, skip: [Bool?]) {
        compactionSetUp()
        if let fields { compaction.zones[z] = fields }
        for (i, bit) in skip.enumerated() {
            let pfn = skipStart + i << geometry.pageblockOrder
            guard let bit, pfnValid(pfn) else { continue }
            compaction.skip[pageblockIndex(pfn)] = bit
        }
    }

    /// Zone `z`'s compaction state and the skip bits of `blocks` pageblocks from `skipStart`
    /// (false where the machine has no such pageblock).
    public func compactionView(zone z: Int, skipStart: Int, blocks: Int) -> (fields: ZoneCompaction, skip: [Bool]) {
        compactionSetUp()
        let bits = (0..<blocks).map { i -> Bool in
            let pfn = skipStart + i << geometry.pageblockOrder
            return pfnValid(pfn) && compaction.skip[pageblockIndex(pfn)]
        }
        return (compaction.zones[z], bits)
    }
}
