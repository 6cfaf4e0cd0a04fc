import Testing
import BuddyCore
import BuddyVariants

@Suite struct BuddyArithmeticTests {
    @Test func bootFreesMaxOrderBlocksOnMovable() {
        let m = Machine<Linux38>(layout: smallLayout())
        // __free_pages_bootmem frees 0x0 then 0x400 at order 10; each goes to the list head
        // (v3.x; v5.10+ frees to the tail, KernelFaithfulnessTests).
        #expect(m.listContents(zone: 0, order: 10, .movable) == [0x400, 0x0])
        #expect(m.nrFree[10] == 2)
        #expect(m.zone[0].nrFreePages == 2048)
        #expect(m.structuralViolations().isEmpty)
    }

    @Test func kernelWorkedExamplePfn8Order1MergesWith10() {
        let m = Machine<Mainline518>(layout: smallLayout())
        let h = fillCompletely(m)
        // Free 10..11 as an order-1 block's worth of pages, then 8 and 9: the order-1 block at 8
        // finds its buddy 8 ^ 2 = 10 free and merges into order 2 at 8 & 10 = 8.
        m.free(handle: h[10]!); m.free(handle: h[11]!)
        #expect(m.listContents(zone: 0, order: 1, .movable) == [10])
        m.free(handle: h[8]!)
        #expect(m.listContents(zone: 0, order: 0, .movable) == [8])
        m.free(handle: h[9]!)
        #expect(m.listContents(zone: 0, order: 2, .movable) == [8])
        #expect(m.listContents(zone: 0, order: 1, .movable).isEmpty)
        #expect(m.nrFree[0] == 0 && m.nrFree[1] == 0 && m.nrFree[2] == 1)
        #expect(m.zone[0].nrFreePages == 4)
        #expect(m.structuralViolations().isEmpty)
    }

    @Test func expandPutsUpperHalvesOnListHeads() {
        let m = Machine<Linux38>(layout: smallLayout())
        let h = m.allocate(zone: 0, order: 0, type: .movable)
        // __rmqueue_smallest takes the head of the order-10 MOVABLE list (0x400) and expand()
        // leaves 0x600/9, 0x500/8, 0x480/7 … 0x401/0 on the MOVABLE lists.
        #expect(m.handlePfn[h] == 0x400)
        for o in 0..<10 {
            #expect(m.listContents(zone: 0, order: o, .movable) == [0x400 + (1 << o)], "order \(o)")
            #expect(m.nrFree[o] == 1)
        }
        #expect(m.listContents(zone: 0, order: 10, .movable) == [0x0])
        #expect(m.zone[0].nrFreePages == 2047)
        m.free(handle: h)
        // The last missing buddy merges all the way back to the largest order.
        #expect(m.listContents(zone: 0, order: 10, .movable) == [0x400, 0x0])
        for o in 0..<10 { #expect(m.nrFree[o] == 0) }
        #expect(m.zone[0].nrFreePages == 2048)
        #expect(m.structuralViolations().isEmpty)
    }

    @Test func tailPlacementWhenHigherBuddyIsFree() {
        let m = Machine<Mainline518>(layout: smallLayout())
        let h = fillCompletely(m)
        // Free 4..7 (an order-2 block at 4), then 0: its buddy 1 is busy, but the buddy of the
        // order-1 block at 0 (2) is busy too → head. Free 2, 3: order-1 at 2 whose buddy 0 is
        // an order-0 block — not order 1 — and whose parent's buddy (4, order 2) is free → tail.
        for p in 4..<8 { m.free(handle: h[p]!) }
        m.free(handle: h[0x100]!)
        m.free(handle: h[2]!); m.free(handle: h[3]!)
        #expect(m.listContents(zone: 0, order: 1, .movable) == [2])
        m.free(handle: h[0x102]!); m.free(handle: h[0x103]!)
        // 0x102/1: parent 0x100/2's buddy 0x104 is busy → head, in front of 2.
        #expect(m.listContents(zone: 0, order: 1, .movable) == [0x102, 2])
        let m2 = Machine<Mainline518>(layout: smallLayout())
        let h2 = fillCompletely(m2)
        m2.free(handle: h2[0x106]!); m2.free(handle: h2[0x107]!)   // 0x106/1 first: nothing free around
        for p in 4..<8 { m2.free(handle: h2[p]!) }                   // 4/2 free
        m2.free(handle: h2[2]!); m2.free(handle: h2[3]!)             // 2/1, parent buddy 4/2 free → tail
        #expect(m2.listContents(zone: 0, order: 1, .movable) == [0x106, 2])
    }
}
