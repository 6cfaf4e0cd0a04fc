import Testing
import BuddyCore
import BuddyVariants

/// `move_freepages_block` and its quirks (kernel-reference §4.1, §10 case 5).
@Suite struct MoveFreepagesTests {
    @Test func blockWithOrder10HeadMovesBothPageblocksAndNrFreeStays() {
        let m = Machine<Linux38>(layout: smallLayout())
        // (b): the order-10 head at 0x400 lies in P0 = [0x400, 0x600): 1024 pages move.
        let r = m.moveFreepagesBlock(0x400, to: .isolate)
        #expect(r.moved == 1024)
        #expect(m.listContents(zone: 0, order: 10, .isolate) == [0x400])
        // (a): nr_free counts all types and is untouched by moves.
        #expect(m.nrFree[10] == 2)
        #expect(m.zone[0].nrFreePages == 2048)
        #expect(m.zone[0].allocatableFree == 1024 && m.zone[0].isolatedFree == 1024)
    }

    @Test func secondPageblockOfAFreeOrder10BlockFindsNothing() {
        let m = Machine<Linux38>(layout: smallLayout())
        // (c): P1's first pfn is a tail of the block at 0x400: nothing is seen, nothing moves.
        #expect(m.moveFreepagesBlock(0x600, to: .isolate).moved == 0)
        #expect(m.listContents(zone: 0, order: 10, .movable) == [0x400, 0x0])
    }

    @Test func partialIsolationCase5() {
        // Isolate only P1: moved 0, the block stays allocatable on MOVABLE, the test fails at 0x600.
        let m = Machine<Linux38>(layout: smallLayout())
        #expect(m.setMigratetypeIsolate(0x600) == 0)
        #expect(m.blockType(0x600) == .isolate)
        #expect(m.listContents(zone: 0, order: 10, .movable).contains(0x400))
        #expect(m.testPagesIsolated(0x600, 0x800) == 0x600)
        // Isolate only P0: moved 1024 > 512; move-time accounting subtracts all of it.
        let m2 = Machine<Linux38>(layout: smallLayout())
        #expect(m2.setMigratetypeIsolate(0x400) == 1024)
        #expect(m2.zone[0].nrFreePages == 2048 - 1024)
        #expect(m2.structuralViolations().isEmpty)
    }

    @Test func blockBeyondZoneEndMovesNothing() {
        // Zone of 1536 pages: the pageblock at 0x400 ends inside, the one at 0x600 past… make a
        // two-zone machine where the last pageblock of zone 0 is tested instead.
        let layout = smallLayout(zones: [ZoneSpec(name: "DMA32", pages: 1024), ZoneSpec(name: "Normal", pages: 1024)])
        let m = Machine<Linux38>(layout: layout)
        #expect(m.moveFreepagesBlock(0x200, to: .unmovable).moved == 0)   // tail of 0x0/10
        #expect(m.moveFreepagesBlock(0x0, to: .unmovable).moved == 1024)
    }

    /// 6.1 `move_freepages()` calls `move_to_free_list()` → `list_move_tail()` for every free
    /// page of the block, one already on the target list included: it goes to the tail too, in
    /// pfn order (found by the 6.1 oracle: a reclaimable block claimed by an unmovable request
    /// held an order-2 page an earlier steal had left on the unmovable list).
    @Test func pageAlreadyOnTheTargetListMovesToItsTail() {
        var layout = smallLayout()
        layout.perCPUListsEnabled = false     // frees reach the buddy lists (buddylab_nopcp)
        let m = Machine<Linux61>(layout: layout)
        let h = fillCompletely(m)
        for p in [0x10, 0x11, 0x12, 0x13, 0x28, 0x29, 0x2a, 0x2b, 0x210, 0x211, 0x212, 0x213] { m.free(handle: h[p]!) }
        #expect(m.listContents(zone: 0, order: 2, .movable).sorted() == [0x10, 0x28, 0x210])
        m.moveToFreeList(0x28, .unmovable, zone: 0)       // earlier single-page steals
        m.moveToFreeList(0x210, .unmovable, zone: 0)
        #expect(m.listContents(zone: 0, order: 2, .unmovable) == [0x28, 0x210])
        #expect(m.moveFreepagesBlock(0x0, to: .unmovable).moved == 8)
        #expect(m.listContents(zone: 0, order: 2, .unmovable) == [0x210, 0x10, 0x28])
        #expect(m.listContents(zone: 0, order: 2, .movable).isEmpty)
        #expect(m.structuralViolations().isEmpty)
    }
}
