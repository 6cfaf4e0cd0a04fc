import Testing
@testable import BuddyCore
import BuddyVariants

/// `fast_isolate_freepages()` (Debian 6.1.192 / 6.12.118 mm/compaction.c) computes
/// `distance = cc->free_pfn - cc->migrate_pfn` and `low_pfn` / `min_pfn` from it in unsigned
/// long. When the scanners have met, `isolate_freepages()` leaves `free_pfn` below the migrate
/// scanner's pfn, and `compaction_alloc()` still calls it for the next source: the distance
/// wraps, both marks land above every pfn, and nothing is isolated. Found by a 6.12.118
/// `--random 100000 --seed 2` run, `compact 10 movable sync_full` at command 8,581: the kernel
/// migrated 20 sources and stopped (-ENOMEM), the model took two free pages of the sources' own
/// pageblock (0x891b, 0x891c) as five more targets. The whole 100,000-command log compares with
/// 0 mismatches after the fix.
@Suite struct FastIsolateCrossedScannersTests {
    /// A 0x1000-page zone all in use but for pageblock 0 (free: the zone stays above MIN, so
    /// `__isolate_free_page` may take pages; below every mark the search uses) and an order-0
    /// page at 0x91b and an order-2 one at 0x91c, in the pageblock [0x800, 0xa00) the migrate
    /// scanner is in. Not the scan's start (`compact_init_free_pfn` above `free_pfn`).
    func isolated<S: StrategySet>(_: S.Type, freePfn: Int, migratePfn: Int) -> [Int] {
        var layout = smallLayout(pages: 0x1000)
        layout.perCPUListsEnabled = false
        let m = Machine<S>(layout: layout)
        let held = fillCompletely(m)
        m.free(handle: held[0x91b]!)
        for p in 0x91c..<0x920 { m.free(handle: held[p]!) }
        for p in 0..<0x200 { m.free(handle: held[p]!) }
        #expect(m.listContents(zone: 0, order: 2, .movable) == [0x91c] && m.listContents(zone: 0, order: 0, .movable) == [0x91b])
        m.compactionSetUp()
        m.compaction.zones[0].initFreePfn = 0x1000
        var cc = CompactControl(order: 10, zone: 0, mode: .sync, migratetype: .movable, orders: m.orders)
        cc.directCompaction = true
        cc.migratePfn = migratePfn
        cc.freePfn = freePfn
        cc.nrMigratePages = 12
        cc.searchOrder = 9
        var got: [(pfn: Int, order: Int)] = []
        m.fastIsolateFreepages(&cc, isolated: &got)
        return got.map(\.pfn).sorted()
    }

    @Test func crossedScannersFindNothing() {
        #expect(isolated(Linux612.self, freePfn: 0x800, migratePfn: 0x820) == [])
        #expect(isolated(Linux61.self, freePfn: 0x800, migratePfn: 0x820) == [])
    }

    /// The same pages with the free scanner still above (free_pfn 0xa00): the preferred range
    /// starts at pageblock_start_pfn(0xa00 - 0x1e0 / 4) = 0x800, so the order-2 page is taken and
    /// `fast_isolate_around()` isolates the rest of its pageblock (0x91b).
    @Test func uncrossedScannersTakeThem() {
        #expect(isolated(Linux612.self, freePfn: 0xa00, migratePfn: 0x820) == [0x91b, 0x91c])
    }
}
