import BuddyCore
import BuddyVariants
import Testing

/// `Machine.mixedPageblocks`: pageblocks holding an allocation whose migratetype differs from
/// the block's (`get_pageblock_migratetype` against the page's gfp migratetype); CMA and
/// ISOLATE blocks never count. Four 512-page pageblocks, all MOVABLE after boot.
@Suite struct MixedPageblocksTests {
    @Test func countsBlocksWithAForeignAllocation() {
        var layout = smallLayout(pages: 2048)
        layout.perCPUListsEnabled = false
        let m = Machine<Mainline519>(layout: layout)
        #expect(m.mixedPageblocks == 0)
        // Block 0: movable pages only — not mixed.
        #expect(m.allocate(atPfn: 10, order: 0, type: .movable, compound: false).0 == .ok)
        // Block 1: one unmovable page at its last pfn, after movable ones — mixed.
        #expect(m.allocate(atPfn: 512, order: 3, type: .movable, compound: true).0 == .ok)
        #expect(m.allocate(atPfn: 1023, order: 0, type: .unmovable, compound: false).0 == .ok)
        #expect(m.mixedPageblocks == 1)
        // Block 2: a reclaimable order-2 page — mixed.
        #expect(m.allocate(atPfn: 1028, order: 2, type: .reclaimable, compound: false).0 == .ok)
        #expect(m.mixedPageblocks == 2)
        // Block 3 retyped UNMOVABLE: its unmovable page matches, its movable one does not.
        m.setBlockType(1536, .unmovable)
        #expect(m.allocate(atPfn: 1600, order: 0, type: .unmovable, compound: false).0 == .ok)
        #expect(m.mixedPageblocks == 2)
        #expect(m.allocate(atPfn: 2047, order: 0, type: .movable, compound: false).0 == .ok)
        #expect(m.mixedPageblocks == 3)
        // The same block as CMA or ISOLATE is never counted.
        m.setBlockType(1536, .cma)
        #expect(m.mixedPageblocks == 2)
        m.setBlockType(1536, .isolate)
        #expect(m.mixedPageblocks == 2)
    }
}
