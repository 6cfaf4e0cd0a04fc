import BuddyCore

/// The compactions the random generator draws (issue 22): direct compaction for one request,
/// kcompactd wake-ups and proactive passes — the driver's `compact ORDER TYPE PRIO`,
/// `kcompactd ORDER` and `proactive N` (PROTOCOL.md).
extension CommandGenerator {
    /// A compaction of the kernel's own: 3 in 5 a direct compaction, 1 in 4 a kcompactd wake-up
    /// for the order a direct compaction would ask, the rest a proactive pass (its
    /// proactiveness, 20, 50, 90 or 100, decides whether it runs: the score must pass its high mark).
    mutating func compactionCommand(_ model: any KernelModel) -> OracleCommand {
        let r = below(100)
        // 1 in 3 a retry of the last direct compaction, at sync_light (the slow path's
        // escalation): its failures defer, and `compaction_deferred` is then asked.
        if r >= 40, let last = lastDirectCompaction, case let .compactOrder(order, type, _) = last, chance(35) {
            return .compactOrder(order: order, type: type, priority: .syncLight)
        }
        let direct = directCompaction(model)
        if r < 25, case let .compactOrder(order, _, _) = direct { return .kcompactd(order: order) }
        if r < 40 { return .proactive(proactiveness: [20, 50, 90, 100][below(4)]) }
        lastDirectCompaction = direct   // retried later: a drawn direct compaction, not an order kcompactd borrowed
        return direct
    }

    /// Mostly (3 in 4) the order just above the largest free block on the model, where
    /// `compaction_suitable` finds no page yet and the scanners must run; else a fixed mix (an
    /// order already free ends at once: COMPACT_SUCCESS from `compaction_suitable`).
    mutating func directCompaction(_ model: any KernelModel) -> OracleCommand {
        let g = model.geometry
        let orders = [g.pageblockOrder, g.pageblockOrder, g.pageblockOrder, g.maxOrder, 3, 2 + below(max(g.pageblockOrder - 2, 1))]
        let largest = model.largestFreeOrder
        let order = largest < g.maxOrder && chance(75)
            ? max(1, largest + 1 + below(min(2, g.maxOrder - largest)))
            : max(1, min(orders[below(orders.count)], g.maxOrder))
        let type: AllocType = chance(70) ? .movable : chance(70) ? .unmovable : .reclaimable
        let priority: CompactPriority = [.async, .async, .syncLight, .syncLight, .syncFull][below(5)]
        return .compactOrder(order: order, type: type, priority: priority)
    }
}
