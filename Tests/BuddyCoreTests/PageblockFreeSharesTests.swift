import BuddyCore
import Testing

/// `Machine.pageblockFreeShares()`: per pageblock, the share of its pages on a buddy free list in
/// sixteenths (hex digit, capped at `f`) — what the report's heatmap draws as intensity.
@Suite struct PageblockFreeSharesTests {
    /// 2048 pages = four 512-page pageblocks, all free at first: `ffff`. Pinning pages at exact
    /// pfns splits the free blocks (`__rmqueue` of a given pfn, as the `alloc pfn` op models):
    /// 256 order-0 pages in block 1 leave it half free (8/16); an order-9 page fills block 2; one
    /// page in block 3 leaves 511/512 free, which rounds down to 15/16 (`f`).
    @Test func sharesFollowTheFreeLists() {
        let m = Machine<Mainline519>(layout: smallLayout(pages: 2048))
        #expect(m.pageblockFreeShares().map(\.shares) == ["ffff"])
        for pfn in 512..<768 {
            #expect(m.allocate(atPfn: pfn, order: 0, type: .movable, compound: false).0 == .ok)
        }
        #expect(m.allocate(atPfn: 1024, order: 9, type: .movable, compound: true).0 == .ok)
        #expect(m.allocate(atPfn: 1536, order: 0, type: .movable, compound: false).0 == .ok)
        let shares = m.pageblockFreeShares()
        #expect(shares.map(\.zone) == ["Normal"])
        #expect(shares.map(\.shares) == ["f80f"])
    }

    /// An all-allocated zone reads `0` everywhere.
    @Test func fullZoneIsZero() {
        let m = Machine<Mainline519>(layout: smallLayout(pages: 1024))
        _ = fillCompletely(m)
        #expect(m.pageblockFreeShares().map(\.shares) == ["00"])
    }

    /// An offline memory block (1024 pages = two pageblocks) reads `0`, and the walk resumes
    /// exactly at the next online block: pageblock 4 half allocated reads `8` (256 of 512 pages free).
    @Test func offlineMemoryBlocksReadZero() {
        let m = Machine<Mainline519>(layout: smallLayout(pages: 4096))
        #expect(m.offlineBlock(1).result == .ok)
        for pfn in 2048..<2304 {
            #expect(m.allocate(atPfn: pfn, order: 0, type: .movable, compound: false).0 == .ok)
        }
        #expect(m.pageblockFreeShares().map(\.shares) == ["ff008fff"])
        #expect(m.onlineBlock(1).result == .ok)
        #expect(m.pageblockFreeShares().map(\.shares) == ["ffff8fff"])
    }
}
