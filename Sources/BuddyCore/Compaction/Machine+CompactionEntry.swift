/// Who runs compaction: direct compaction (`try_to_compact_pages` → `compact_zone_order`),
/// `compact_memory` (`compact_node`), and the op forms of both (Simulation+Ops.swift).
/// Outcome of one compaction entry point: the status and what it took.
public struct CompactionRun: Sendable, Equatable {
    public var status: CompactStatus
    public var migrated: Int
    public var migrateScanned: Int
    public var freeScanned: Int
    /// The captured page (`capc->page`), or -1.
    public var captured: Int
}

extension Machine {
    /// `compact_zone_order(zone, order, gfp, prio, alloc_flags, highest_zoneidx, &capture)`.
    func compactZoneOrder(zone z: Int, order: Int, migratetype: MigrateType, priority: CompactPriority,
                          mark: Int, flags: AllocFlags, capture: Bool) -> CompactStatus {
        var cc = CompactControl(order: order, zone: z, mode: priority == .async ? .async : .syncLight,
                                migratetype: migratetype, orders: orders)
        cc.mark = mark
        cc.allocFlags = flags
        cc.directCompaction = true
        cc.searchOrder = order
        cc.wholeZone = priority == .syncFull
        cc.ignoreSkipHint = priority == .syncFull
        cc.ignoreBlockSuitable = priority == .syncFull
        var ret = compactZone(&cc, capture: capture)
        if capture && compaction.capturedPfn >= 0 { ret = .success }
        return ret
    }

    /// `try_to_compact_pages` over the zones a request may use (highest first; one zone when
    /// the request names one): deferral, `compact_zone_order`, and the defer bookkeeping.
    /// ALLOC_CPUSET, lowmem_reserve (highest_zoneidx) and `need_resched` are not modelled.
    public func tryToCompactPages(order: Int, zone requested: Int?, _ type: AllocType, priority: CompactPriority,
                                  flags: AllocFlags = [], capture: Bool) -> CompactionRun {
        compactionSetUp()
        let before = compaction.vm
        let migratedBefore = compaction.vm.pgmigrateSuccess
        var rc = CompactStatus.skipped
        compaction.capturedPfn = -1
        let movable = type == .movable
        let top = requested ?? zonelistHighest(movable: movable)
        var z = top
        while z >= (requested ?? 0) && z >= 0 {
            defer { z -= 1 }
            if !movable && zone[z].isMovableZone { continue }
            if zone[z].managedPages == 0 { continue }
            if priority != .syncFull && compactionDeferred(zone: z, order: order) {
                rc = max(rc, .deferred)
                continue
            }
            let status = compactZoneOrder(zone: z, order: order, migratetype: type.migrateType, priority: priority,
                                          mark: zone[z].wmarkMin, flags: flags, capture: capture)
            // try_to_compact_pages takes the max of `enum compact_result` (NOT_SUITABLE_ZONE
            // reaches the caller as COMPACT_SKIPPED in both eras).
            rc = max(rc, status == .notSuitableZone ? .skipped : status)
            if status == .success {
                compactionDeferReset(zone: z, order: order, allocSuccess: false)
                break
            }
            if priority != .async && (status == .complete || status == .partialSkipped) {
                deferCompaction(zone: z, order: order)
            }
        }
        let after = compaction.vm
        return CompactionRun(status: rc, migrated: compaction.vm.pgmigrateSuccess - migratedBefore,
                             migrateScanned: after.compactMigrateScanned - before.compactMigrateScanned,
                             freeScanned: after.compactFreeScanned - before.compactFreeScanned,
                             captured: compaction.capturedPfn)
    }

    /// The bookkeeping of `__alloc_pages_direct_compact` once the request tried the lists again:
    /// `compact_stall` for every attempt that was not COMPACT_SKIPPED; on a page,
    /// `compact_blockskip_flush = false`, `compaction_defer_reset(zone, order, true)` and
    /// `compact_success`, else `compact_fail`.
    public func directCompactOutcome(page pfn: Int, order: Int) {
        compactionSetUp()
        compaction.vm.compactStall += 1
        if pfn >= 0 {
            let z = zoneOf(pfn)
            compaction.zones[z].blockskipFlush = false
            compactionDeferReset(zone: z, order: order, allocSuccess: true)
            compaction.vm.compactSuccess += 1
        } else {
            compaction.vm.compactFail += 1
        }
    }

    /// The page a direct compaction captured (`capc->page`), taken once; -1 when none.
    public func takeCapturedPage() -> Int {
        let p = compaction.capturedPfn
        compaction.capturedPfn = -1
        return p
    }

    /// `compact_node` for one zone (what writing `/proc/sys/vm/compact_memory` does, per zone):
    /// order -1, MIGRATE_SYNC, `ignore_skip_hint`, `whole_zone`, GFP_KERNEL; `proactive` gives
    /// proactive compaction's MIGRATE_SYNC_LIGHT run that stops at the low score mark.
    @discardableResult
    public func compactMemory(zone z: Int, proactive: Bool = false) -> CompactionRun {
        compactionSetUp()
        let before = compaction.vm
        var cc = CompactControl(order: -1, zone: z, mode: proactive ? .syncLight : .sync, migratetype: .unmovable, orders: orders)
        cc.ignoreSkipHint = true
        cc.wholeZone = true
        cc.proactive = proactive
        let status = compactZone(&cc, capture: false)
        let after = compaction.vm
        return CompactionRun(status: status, migrated: after.pgmigrateSuccess - before.pgmigrateSuccess,
                             migrateScanned: after.compactMigrateScanned - before.compactMigrateScanned,
                             freeScanned: after.compactFreeScanned - before.compactFreeScanned, captured: -1)
    }

    /// A free block of at least `order` on a list an `order` request of `type` can use in zone
    /// `z` (its own type, CMA for movable, or a stealable fallback): what the `compact` op's
    /// `ok` means.
    public func hasFreePage(zone z: Int, order: Int, _ type: AllocType) -> Bool {
        for o in order...geometry.maxOrder {
            if listCount[listIndex(z, o, type.migrateType)] != 0 { return true }
            if type == .movable && listCount[listIndex(z, o, .cma)] != 0 { return true }
            if let (_, canSteal) = findSuitableFallback(zone: z, order: o, type.migrateType), canSteal { return true }
        }
        return false
    }
}
