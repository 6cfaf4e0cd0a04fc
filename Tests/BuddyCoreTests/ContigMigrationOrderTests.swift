import Testing
import BuddyCore
import BuddyVariants

/// `__alloc_contig_migrate_range()` (Debian 6.1.192 mm/page_alloc.c; 6.12.118 mm/page_alloc.c)
/// migrates in rounds: `isolate_migratepages_range()` scans up and stops once it holds
/// `COMPACT_CLUSTER_MAX` (32) pages, and `isolate_migratepages_block()` puts each page at the
/// head of `cc->migratepages` (`list_add`), so `migrate_pages()` moves a round highest pfn first
/// and allocates the targets in that order. Found by the oracle: 64 anon pages in a contig range
/// went to descending targets on 6.1.192 (`anon 0` record after `contig`), and the real-log
/// fixtures `kernel-6.1/6.12-random-seed1-anon-first218.log.gz` pin it end to end.
@Suite struct ContigMigrationOrderTests {
    /// 40 migratable movable pages at [0x800, 0x828); everything else free. The targets come
    /// from the order-9 block at 0xa00 (the smallest free block outside the isolated pageblock
    /// [0x800, 0xa00)), split by `__rmqueue_smallest` + `expand` into 0xa00, 0xa01, 0xa02, ….
    func machine() -> (Machine<Linux61>, [Int]) {
        var layout = smallLayout(pages: 4096)
        layout.perCPUListsEnabled = false
        let m = Machine<Linux61>(layout: layout)
        var handles: [Int] = []
        for pfn in 0x800..<0x828 {
            let (r, h) = m.allocate(atPfn: pfn, order: 0, type: .movable, compound: false)
            #expect(r == .ok && h >= 0)
            handles.append(h)
        }
        return (m, handles)
    }

    @Test func roundsOf32MigrateHighestPfnFirst() {
        let (m, handles) = machine()
        #expect(m.allocContigRange(0x800, 0x828).result == .ok)
        for (i, h) in handles.enumerated() {
            // Round 1: 0x81f … 0x800 → 0xa00 … 0xa1f; round 2: 0x827 … 0x820 → 0xa20 … 0xa27.
            let expected = i < 32 ? 0xa00 + (31 - i) : 0xa20 + (39 - i)
            #expect(Int(m.handlePfn[h]) == expected, "source \(String(0x800 + i, radix: 16))")
        }
        #expect(m.stats.pagesMigrated == 40)
        #expect(m.structuralViolations().isEmpty)
    }
}
