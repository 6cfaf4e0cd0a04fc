import Testing
@testable import BuddyCore
import BuddyVariants

/// Compaction's migration targets and the per-CPU `lru_add` batch (Machine+LRUAddBatch.swift).
/// Debian 6.12.118 `migrate_folio_move()` puts the target on the LRU with `folio_add_lru(dst)`
/// and drains only for an mlocked page; `__folio_batch_add_and_move()` moves the batch to the LRU
/// when the add fills it (`PAGEVEC_SIZE` 31) or the folio is large. Until then
/// `isolate_migratepages_block()` skips the page (`!folio_test_lru`). Debian 6.1.192
/// `__unmap_and_move()` drains after every mapped page: the targets are on the LRU at once.
/// Found by the oracle: 6.12.118 `--random 100000 --seed 1`, `compact 10 movable sync_full` at
/// command 47,963 — its second round in block 0x1a600 took 48 pages, not the 49 the model took
/// (the 32nd target of the round before still waited in the batch).
@Suite struct LRUAddBatchTests {
    /// 64 movable (LRU) pages at [0x400, 0x440), the rest of the zone in use, unmovable.
    func machine<S: StrategySet>(_: S.Type) -> Machine<S> {
        let (m, held) = filledMachine(S.self, pages: 0x1000)
        for p in 0x400..<0x440 {
            m.free(handle: held[p]!)
            #expect(m.allocate(atPfn: p, order: 0, type: .movable, compound: false).0 == .ok)
        }
        m.compactionSetUp()
        return m
    }

    /// 30 adds leave 30 pages off the LRU, the 31st moves all 31 onto it (`folio_batch_add`
    /// returns the space left: 0 moves the batch).
    @Test func the31stAddMovesTheBatch() {
        let m = machine(Linux612.self)
        var cc = CompactControl(order: 10, zone: 0, mode: .sync, migratetype: .movable, orders: m.orders)
        for p in 0x400..<0x41e { m.lruAdd(&cc, p, order: 0) }
        #expect(cc.lruAddBatch.count == 30)
        #expect((0x400..<0x41e).allSatisfy { !AllocInfo(raw: m.info[m.index($0)]).migratable })
        #expect(AllocInfo(raw: m.info[m.index(0x41e)]).migratable)
        m.lruAdd(&cc, 0x41e, order: 0)
        #expect(cc.lruAddBatch.isEmpty)
        #expect((0x400...0x41e).allSatisfy { AllocInfo(raw: m.info[m.index($0)]).migratable })
    }

    /// The migrate scanner passes over the batched pages: of [0x400, 0x440) with 0x400..0x409
    /// batched, the round isolates 0x40a up to COMPACT_CLUSTER_MAX (32) pages, to 0x429.
    @Test func batchedPagesAreNotIsolated() {
        let m = machine(Linux612.self)
        var cc = CompactControl(order: 10, zone: 0, mode: .sync, migratetype: .movable, orders: m.orders)
        for p in 0x400..<0x40a { m.lruAdd(&cc, p, order: 0) }
        m.isolateMigratepagesBlock(&cc, low: 0x400, end: 0x600)
        #expect(cc.migratePages == Array(0x40a..<0x42a))
        m.lruAddDrain(&cc)   // lru_add_drain_cpu(): on the LRU again
        #expect((0x400..<0x40a).allSatisfy { AllocInfo(raw: m.info[m.index($0)]).migratable })
    }

    /// A large folio is never held (`folio_may_be_lru_cached`): its add moves the whole batch.
    @Test func aLargeTargetMovesTheBatch() {
        let m = machine(Linux612.self)
        var cc = CompactControl(order: 10, zone: 0, mode: .sync, migratetype: .movable, orders: m.orders)
        for p in 0x400..<0x405 { m.lruAdd(&cc, p, order: 0) }
        m.lruAdd(&cc, 0x408, order: 3)
        #expect(cc.lruAddBatch.isEmpty)
        #expect((0x400..<0x405).allSatisfy { AllocInfo(raw: m.info[m.index($0)]).migratable })
    }

    /// 6.1: every target is on the LRU at once (`lru_add_drain()` after a mapped page).
    @Test func linux61HoldsNothing() {
        let m = machine(Linux61.self)
        var cc = CompactControl(order: 10, zone: 0, mode: .sync, migratetype: .movable, orders: m.orders)
        for p in 0x400..<0x40a { m.lruAdd(&cc, p, order: 0) }
        #expect(cc.lruAddBatch.isEmpty)
        #expect((0x400..<0x40a).allSatisfy { AllocInfo(raw: m.info[m.index($0)]).migratable })
    }
}

/// Debian 6.12.118 `__isolate_free_page()`: a free page of at least half a pageblock taken by
/// compaction's free scanner calls `move_freepages_block(zone, page, mt, MIGRATE_MOVABLE)` for a
/// mergeable block, and `__move_freepages_block()` ends with `set_pageblock_migratetype(MOVABLE)`:
/// the block becomes MOVABLE and its other free pages move to the MOVABLE lists. The model moved
/// the pages but left the type (oracle: 6.12.118 `--random 100000 --seed 1`, command 50,870,
/// UNMOVABLE block 0x19200).
@Suite struct IsolateFreeRetypeTests {
    /// Block [0x200, 0x400) UNMOVABLE with an order-8 free page at 0x300 and an order-0 one at
    /// 0x2f0; pageblock 0 free so the zone stays above MIN + 256.
    func isolate<S: StrategySet>(_: S.Type) -> Machine<S> {
        let (m, held) = filledMachine(S.self, pages: 0x1000)
        m.setBlockType(0x200, .unmovable)
        for p in 0..<0x200 { m.free(handle: held[p]!) }
        for p in 0x300..<0x400 { m.free(handle: held[p]!) }
        m.free(handle: held[0x2f0]!)
        #expect(m.listContents(zone: 0, order: 8, .unmovable) == [0x300])
        #expect(m.listContents(zone: 0, order: 0, .unmovable) == [0x2f0])
        m.compactionSetUp()
        #expect(m.compactIsolateFreePage(0x300, order: 8) == 256)
        return m
    }

    @Test func linux612RetypesTheBlockMovable() {
        let m = isolate(Linux612.self)
        #expect(m.blockType(0x200) == .movable)
        #expect(m.listContents(zone: 0, order: 0, .movable) == [0x2f0])
        #expect(m.listContents(zone: 0, order: 0, .unmovable) == [])
    }

    /// 6.1 `set_pageblock_migratetype(page, MIGRATE_MOVABLE)` alone: the type changes, the other
    /// free page stays on the list it is on.
    @Test func linux61RetypesWithoutMovingFreePages() {
        let m = isolate(Linux61.self)
        #expect(m.blockType(0x200) == .movable)
        #expect(m.listContents(zone: 0, order: 0, .unmovable) == [0x2f0])
    }
}
