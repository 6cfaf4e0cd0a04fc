/// The `compact` op and the compaction metrics of a run (Compaction/).
extension Simulation {
    /// `compact: { zone }`: `compact_memory` for the zone (result `ok`). `compact: { zone, order,
    /// priority }`: one `try_to_compact_pages` for a movable request of that order in that zone,
    /// without capture (no allocation is made), with `__alloc_pages_direct_compact`'s counting:
    /// `skipped` when suitability or deferral said no (COMPACT_SKIPPED / COMPACT_DEFERRED and the
    /// zone's NOT_SUITABLE_ZONE), else `ok` when a free page of the order is on a list such a
    /// request can take (`compact_success`), `fail` otherwise (`compact_fail`).
    func runCompactOp(_ m: Machine<S>, _ event: ProgramEvent, zone z: Int, order: Int, priority: CompactPriority,
                      _ out: inout RawRun) {
        guard order > 0 else {
            let r = m.compactMemory(zone: z)
            record(&out, event, "compact", .ok,
                   "compact_memory: \(r.status.name), migrated \(r.migrated), scanned \(r.migrateScanned)+\(r.freeScanned)")
            return
        }
        let fragindex = m.fragmentationIndex(zone: z, order: order)
        let r = m.tryToCompactPages(order: order, zone: z, .movable, priority: priority, flags: [.cma], capture: false)
        let detail = "\(r.status.name), migrated \(r.migrated), scanned \(r.migrateScanned)+\(r.freeScanned), fragindex \(fragindex)"
        if r.status == .skipped || r.status == .notSuitableZone {
            record(&out, event, "compact", .skipped, detail)
            return
        }
        let ok = m.hasFreePage(zone: z, order: order, .movable)
        // __alloc_pages_direct_compact's accounting with "a page is there" for "the allocation got one".
        m.compactionOpOutcome(zone: z, order: order, success: ok)
        if r.status == .deferred { record(&out, event, "compact", .skipped, detail); return }
        record(&out, event, "compact", ok ? .ok : .fail, detail)
    }

    /// /proc/vmstat names, the node's proactive `fragmentation_score`, and the kernel's extfrag
    /// indices per order (`extfrag_index_<order>`, `unusable_index_<order>`, ×1000 where
    /// /sys/kernel/debug/extfrag prints them as fractions with three decimals).
    func compactionMetrics(_ m: Machine<S>, _ out: inout RawRun) {
        let c = m.compactionCounters
        out.metrics["compact_stall"] = c.compactStall
        out.metrics["compact_success"] = c.compactSuccess
        out.metrics["compact_fail"] = c.compactFail
        out.metrics["compact_migrate_scanned"] = c.compactMigrateScanned
        out.metrics["compact_free_scanned"] = c.compactFreeScanned
        out.metrics["compact_isolated"] = c.compactIsolated
        out.metrics["compact_daemon_wake"] = c.compactDaemonWake
        out.metrics["pgmigrate_success"] = c.pgmigrateSuccess
        out.metrics["pgmigrate_fail"] = c.pgmigrateFail
        out.metrics["fragmentation_score"] = m.fragmentationScore()
        // The kernel prints these per zone; the metrics are the largest zone's (the first of
        // equals), per order up to the machine's max_order.
        var big = 0
        for z in 0..<m.zoneCount where m.zone[z].managedPages > m.zone[big].managedPages { big = z }
        for o in 0...m.geometry.maxOrder {
            out.metrics["extfrag_index_\(o)"] = m.fragmentationIndex(zone: big, order: o)
            out.metrics["unusable_index_\(o)"] = m.kernelUnusableIndex(zone: big, order: o)
        }
    }
}

extension Machine {
    /// The op's form of `__alloc_pages_direct_compact`'s counting (no page is allocated).
    public func compactionOpOutcome(zone z: Int, order: Int, success: Bool) {
        compactionSetUp()
        compaction.vm.compactStall += 1
        if success {
            compaction.zones[z].blockskipFlush = false
            compactionDeferReset(zone: z, order: order, allocSuccess: true)
            compaction.vm.compactSuccess += 1
        } else {
            compaction.vm.compactFail += 1
        }
    }
}
