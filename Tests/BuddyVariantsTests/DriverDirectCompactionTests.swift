import BuddyCore
import BuddyVariants
import Testing

/// The oracle driver's `compact ORDER TYPE PRIO` (scripts/oracle/patch-tree edit e,
/// `buddylab_compact_order`): `try_to_compact_pages` with capture as
/// `__alloc_pages_direct_compact` runs it (Debian 6.1.192 / 6.12.118 mm/compaction.c), the
/// captured page allocated (`post_alloc_hook`) and `compaction_defer_reset(zone, order, true)`.
@Suite struct DriverDirectCompactionTests {
    /// The zone of `CompactionTests.fragmentedZoneCompactsToOrder9MigratingExactly256Pages`: block
    /// 0's even pages migrate, and the free of its last source page merges 0x8000 to order 9
    /// inside `__free_one_page`, where `compaction_capture` takes it (a MOVABLE block of
    /// pageblock order is captured in both eras). The driver holds it as an order-9 allocation;
    /// `compaction_defer_reset(.., true)` zeroes `compact_considered` / `compact_defer_shift`
    /// and raises `compact_order_failed` to 10. NR_FREE_PAGES: 2048 free − 512 captured.
    @Test func capturedPageBecomesTheDriversAllocation() {
        func run<S: StrategySet>(_: S.Type) {
            let m = CompactionTests.fragmented(S.self)
            let before = m.zoneCompaction(0)
            #expect(before.considered == 0 && before.orderFailed == 0)
            let (status, h) = m.directCompactForDriver(order: 9, type: .movable, priority: .syncLight)
            #expect(status == .success && h >= 0)
            #expect(Int(m.handlePfn[h]) == CompactionTests.base)
            #expect(m.kind(CompactionTests.base) == .allocated && m.order(CompactionTests.base) == 9)
            #expect(m.zone[0].nrFreePages == 2048 - 512)
            let z = m.zoneCompaction(0)
            #expect(z.considered == 0 && z.deferShift == 0 && z.orderFailed == 10)
            #expect(m.compactionCounters.pgmigrateSuccess == 256)
            m.free(handle: h)
            #expect(m.zone[0].nrFreePages == 2048 && m.structuralViolations().isEmpty)
        }
        run(Linux61.self)
        run(Linux612.self)
    }

    /// Nothing to capture: a zone whose free pages are all order-0 unmovable holes between pinned
    /// unmovable pages. `compaction_suitable` passes (2048 free ≫ MIN + compact_gap), the
    /// fragmentation index 998 asks for compaction, no page is migratable: the scanners meet,
    /// COMPACT_PARTIAL_SKIPPED (not whole-zone at SYNC_LIGHT) and `defer_compaction` —
    /// `compact_defer_shift` 1; `compact_order_failed` stays 0 (it starts at 0 and
    /// `defer_compaction` only lowers it). No handle.
    @Test func failureDefersAndIssuesNoHandle() {
        func run<S: StrategySet>(_: S.Type) {
            let m = CompactionTests.fragmented(S.self, type: .unmovable)
            let (status, h) = m.directCompactForDriver(order: 9, type: .movable, priority: .syncLight)
            #expect(status == .partialSkipped && h == -1)
            let z = m.zoneCompaction(0)
            #expect(z.deferShift == 1 && z.orderFailed == 0 && z.considered == 0)
            #expect(m.zone[0].nrFreePages == 2048 && m.structuralViolations().isEmpty)
            // compaction_deferred: ++considered (1) < 1 << 1 — the next attempt is deferred.
            #expect(m.directCompactForDriver(order: 9, type: .movable, priority: .syncLight).status == .deferred)
            // MIN_COMPACT_PRIORITY (sync_full) is never deferred (try_to_compact_pages).
            #expect(m.directCompactForDriver(order: 9, type: .movable, priority: .syncFull).status != .deferred)
        }
        run(Linux61.self)
        run(Linux612.self)
    }
}
