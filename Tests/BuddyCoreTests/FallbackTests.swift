import Testing
import BuddyCore
import BuddyVariants

@Suite struct FallbackTests {
    @Test func unmovableFallbackClaimsWholeOrder10Block2012() {
        let m = Machine<Linux35>(layout: smallLayout())
        let h = m.allocate(zone: 0, order: 0, type: .unmovable)
        // v3.6 __rmqueue_fallback: top-down, order 10 MOVABLE head 0x400; steal moves 1024 ≥ 256,
        // claim, change_pageblock_range retypes both pageblocks, expand onto UNMOVABLE lists.
        #expect(m.handlePfn[h] == 0x400)
        #expect(m.blockType(0x400) == .unmovable && m.blockType(0x600) == .unmovable)
        #expect(m.blockType(0x0) == .movable)
        #expect(m.listContents(zone: 0, order: 9, .unmovable) == [0x600])
        #expect(m.listContents(zone: 0, order: 10, .movable) == [0x0])
        #expect(m.structuralViolations().isEmpty)
    }

    @Test func unmovableFallbackClaims2022() {
        let m = Machine<Mainline518>(layout: smallLayout())
        let h = m.allocate(zone: 0, order: 0, type: .unmovable)
        // Boot freed to the tail (v5.10+), so the order-10 MOVABLE list starts at 0x0.
        #expect(m.handlePfn[h] == 0x0)
        #expect(m.blockType(0x0) == .unmovable && m.blockType(0x200) == .unmovable)
        #expect(m.blockType(0x400) == .movable)
        #expect(m.listContents(zone: 0, order: 0, .unmovable) == [0x1])
    }

    @Test func stealClaimsPageblockWhenHalfIsFree2012() {
        // P0 = [0, 0x200) full of movable pages except 300 free (212..511 → 212/2, 216/3,
        // 224/5, 256/8); P1 holds only order-0 frees. An unmovable order-0 request finds the
        // order-8 MOVABLE block at 256 first (top-down), steals P0's 300 free pages (≥ 256,
        // half a pageblock) and claims P0; P1 stays MOVABLE.
        let m = Machine<Linux35>(layout: smallLayout(pages: 1024))
        var handles: [Int] = []
        for p in 0..<1024 { handles.append(m.allocate(atPfn: p, order: 0, type: .movable, compound: false).1) }
        for p in 212..<512 { m.free(handle: handles[p]) }
        for p in 512..<1024 where p % 2 == 0 { m.free(handle: handles[p]) }
        let h = m.allocate(zone: 0, order: 0, type: .unmovable)
        #expect(m.handlePfn[h] == 256)
        #expect(m.blockType(0) == .unmovable)
        #expect(m.blockType(512) == .movable)
        #expect(m.listContents(zone: 0, order: 7, .unmovable) == [384])
        #expect(m.listContents(zone: 0, order: 5, .unmovable).contains(224))
        #expect(m.structuralViolations().isEmpty)
    }
}
