import BuddyCore
import BuddyVariants
import Testing

/// v6.10 `__rmqueue_fallback()` (Johannes Weiner's freelist hygiene) calls
/// `trace_mm_page_alloc_extfrag()` after `steal_suitable_fallback()` whether it claimed the
/// block or took a single page, as the older fallbacks do; `change_ownership` is "the
/// pageblock now has the requester's type". Issue 23's aged pcp experiment found linux-6.10
/// reporting 0 extfrag events while its pageblocks mixed.
@Suite struct HygieneExtfragTests {
    /// One 2048-page zone (4 pageblocks), per-cpu lists off so every request reaches the buddy.
    static func machine() -> Machine<Linux610> {
        var l = layout(pages: 2048, block: 2048)
        l.perCPUListsEnabled = false
        return Machine<Linux610>(layout: l)
    }

    /// Fresh machine: only MOVABLE order-10 blocks are free, so an unmovable page takes one whole
    /// (`current_order >= pageblock_order`: both pageblocks retyped) — one event, a claim.
    @Test func wholeBlockFallbackIsAClaim() {
        let m = Self.machine()
        #expect(m.allocate(zone: nil, order: 0, type: .unmovable) >= 0)
        #expect(m.stats.extfragEvents == 1)
        #expect(m.stats.extfragClaims == 1)
    }

    /// pfns 1…300 of every pageblock pinned movable: each block keeps 212 free pages and 300
    /// movable ones, so for an unmovable request free + alike = 212 < 256 (half a pageblock) and
    /// the block is not claimed — one event, a steal; the block stays MOVABLE.
    @Test func singlePageFallbackIsASteal() {
        let m = Self.machine()
        for block in 0..<4 {
            for pfn in block * 512 + 1...block * 512 + 300 {
                #expect(m.allocate(atPfn: pfn, order: 0, type: .movable, compound: nil).0 == .ok)
            }
        }
        let h = m.allocate(zone: nil, order: 0, type: .unmovable)
        #expect(h >= 0)
        #expect(m.blockType(Int(m.handlePfn[h])) == .movable)
        #expect(m.stats.extfragEvents == 1)
        #expect(m.stats.extfragClaims == 0)
        #expect(m.structuralViolations().isEmpty)
    }
}
