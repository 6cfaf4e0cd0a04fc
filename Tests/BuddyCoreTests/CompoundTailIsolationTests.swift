import Testing
import BuddyCore
import BuddyVariants

/// `has_unmovable_pages()` (Debian 6.1.192 mm/page_isolation.c) judges a compound page's tail by
/// its head only behind `PageTransCompound()`, i.e. with CONFIG_TRANSPARENT_HUGEPAGE. Without it
/// (the User-Mode Linux oracle kernel) a tail is a page with refcount 0 and is skipped; the
/// isolation of a block covered by a non-LRU compound page's tail then passes
/// `set_migratetype_isolate()` and fails in `isolate_single_pageblock()`, whose `failed:` path
/// restores the block with the caller's migratetype (MOVABLE), not the block's old one. Found by
/// the 6.1 oracle (`isolate 0x9a00 512` → ebusy, block UNMOVABLE → MOVABLE).
@Suite struct CompoundTailIsolationTests {
    func machine(thp: Bool) -> Machine<Linux61> {
        var layout = smallLayout()
        layout.perCPUListsEnabled = false
        layout.transparentHugepage = thp
        let m = Machine<Linux61>(layout: layout)
        let (r, _) = m.allocate(atPfn: 0x400, order: 10, type: .unmovable, compound: true)
        #expect(r == .ok)
        m.changePageblockRange(0x400, order: 10, .unmovable)
        return m
    }

    @Test func withoutTHPTheTailPassesAndTheFailedIsolationLeavesTheBlockMovable() {
        let m = machine(thp: false)
        #expect(m.hasUnmovablePages(0x600, 0x800, forCMA: false) == nil)
        #expect(m.isolatePageRange(0x600, 0x800) == .ebusy)
        #expect(m.blockType(0x600) == .movable)
        #expect(m.blockType(0x400) == .unmovable)
        #expect(m.structuralViolations().isEmpty)
    }

    @Test func withTHPTheTailIsJudgedByItsHeadAndNothingChanges() {
        let m = machine(thp: true)
        #expect(m.hasUnmovablePages(0x600, 0x800, forCMA: false) == 0x600)
        #expect(m.isolatePageRange(0x600, 0x800) == .ebusy)
        #expect(m.blockType(0x600) == .unmovable)
        #expect(m.structuralViolations().isEmpty)
    }
}
