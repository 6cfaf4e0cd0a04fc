import BuddyCore
import BuddyVariants
import Testing

/// Issue 23: a trace's frees of pages allocated before the capture are bound to the imported
/// `/proc` state's allocated memory (InitialState+PreCapture.swift), lowest pfn first.
@Suite struct PreCaptureBindingTests {
    @Test func blocksAreCutFromTheLowestImportedChunk() {
        let m = Machine<Mainline519>(layout: smallLayout(pages: 2048))
        // pfns 0…1023 allocated by the import (one order-10 chunk owned by no request), 1024… free.
        var s = InitialState(pageblockTypes: Array(repeating: MigrateType.movable.rawValue, count: m.pageblockCount),
                             freeBlocks: [FreeBlockSpec(pfn: 1024, order: 10)], offlineBlocks: [])
        s.preCaptureBlocks = [PreCaptureBlock(request: 7, order: 0), PreCaptureBlock(request: 9, order: 2)]
        m.importInitialState(s)
        let bound = m.bindPreCaptureBlocks(s.preCaptureBlocks)
        #expect(bound.map(\.request) == [7, 9])
        // Request 7 takes pfn 0; the chunk's rest is pieces 1 (o0), 2 (o1), 4 (o2), …, 512 (o9):
        // request 9 (order 2) takes the first piece of order ≥ 2, at pfn 4.
        #expect(Int(m.handlePfn[bound[0].handle]) == 0 && m.order(0) == 0)
        #expect(Int(m.handlePfn[bound[1].handle]) == 4 && m.order(4) == 2)
        #expect(m.order(512) == 9 && m.kind(512) == .allocated)
        let before = m.totalNrFreePages
        m.free(handle: bound[0].handle)
        m.free(handle: bound[1].handle)
        #expect(m.totalNrFreePages == before + 1 + 4)
        #expect(m.structuralViolations().isEmpty)
    }

    @Test func aBlockWithNoImportedMemoryLeftStaysUnbound() {
        let m = Machine<Mainline519>(layout: smallLayout(pages: 2048))
        let s = InitialState(pageblockTypes: Array(repeating: MigrateType.movable.rawValue, count: m.pageblockCount),
                             freeBlocks: [FreeBlockSpec(pfn: 0, order: 10), FreeBlockSpec(pfn: 1024, order: 9)],
                             offlineBlocks: [])
        m.importInitialState(s)
        // Only pfns 1536…2047 are imported as allocated: one order-9 chunk, no order-10 one.
        let bound = m.bindPreCaptureBlocks([PreCaptureBlock(request: 0, order: 10), PreCaptureBlock(request: 1, order: 9),
                                            PreCaptureBlock(request: 2, order: 0)])
        #expect(bound.map(\.request) == [1])
        #expect(Int(m.handlePfn[bound[0].handle]) == 1536)
    }
}
