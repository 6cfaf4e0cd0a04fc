import Testing
import BuddyCore
import BuddyVariants

/// `alloc_contig_range` leaves PB_migrate_skip bits behind on 6.1: `__alloc_contig_migrate_range`
/// scans with `isolate_migratepages_range` → `isolate_migratepages_block`, whose end
/// (Debian 6.1.192 mm/compaction.c) marks the block when the chunk was scanned from the block's
/// first pfn (`valid_page`) to its end with nothing isolated — `set_pageblock_skip(valid_page)`
/// without looking at `cc->no_set_skip_hint`, which alloc_contig_range sets. 6.12.118 checks
/// `!cc->no_set_skip_hint` first. Found by the oracle's `skip` record: 6.1.192's
/// `contig 0x3ca4 1024` set the block at 0x3e00 (seed 1, command 6).
@Suite struct ContigSkipBitsTests {
    /// 40 migratable movable pages at [0x800, 0x828) of a 4096-page zone; contig over
    /// [0x600, 0xc00): round 1 scans block 0x600 whole (nothing: skip) and isolates 0x800–0x81f;
    /// round 2 starts at 0x820 inside its block (no `valid_page`), isolates 0x820–0x827 and scans
    /// block 0xa00 whole (nothing: skip).
    func run<S: StrategySet>(_: S.Type) -> [Int] {
        var layout = smallLayout(pages: 4096)
        layout.perCPUListsEnabled = false
        let m = Machine<S>(layout: layout)
        for pfn in 0x800..<0x828 {
            #expect(m.allocate(atPfn: pfn, order: 0, type: .movable, compound: false).0 == .ok)
        }
        #expect(m.allocContigRange(0x600, 0xc00).result == .ok)
        #expect(m.stats.pagesMigrated == 40 && m.structuralViolations().isEmpty)
        return stride(from: 0, to: 0x1000, by: 0x200).filter { m.pageblockSkip($0) }
    }

    @Test func sixOneMarksWholeChunksWithNothingIsolated() {
        #expect(run(Linux61.self) == [0x600, 0xa00])
    }

    @Test func sixTwelveHonoursNoSetSkipHint() {
        #expect(run(Linux612.self) == [])
    }
}
