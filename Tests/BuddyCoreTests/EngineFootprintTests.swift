import BuddyCore
import BuddyVariants
import Testing

/// Issue 12, defect 2: the footprint estimate that refuses machines too large for the host is
/// computed from the same element types a live `Machine` allocates.
@Suite struct EngineFootprintTests {
    /// 10 bytes per frame: `lru.next`/`lru.prev` (two `UInt32`) and the state/info bytes
    /// (`FrameState.swift`); the live machine's own figure adds 2 B per pageblock.
    @Test func perFrameFigureMatchesALiveMachine() {
        let layout = smallLayout()
        let m = Machine<Mainline518>(layout: layout)
        #expect(EngineFootprint.bytesPerFrame == 10)
        let pageblockArrays = Double(EngineFootprint.bytesPerPageblock - 1) / Double(layout.geometry.pageblockPages)
        #expect(m.bytesPerFrame == Double(EngineFootprint.bytesPerFrame) + pageblockArrays)
    }

    /// Issue 25: one program event is 32 bytes on a 64-bit host. `allocAt` carries its `Int` pfn
    /// before its `Int32` request; in the other order the payload padded to 25 bytes and every
    /// event to 40 (a 10⁷-event trace held 80 MB more). The estimate reads the same stride.
    @Test func programEventStrideIs32Bytes() {
        #expect(MemoryLayout<ProgramEvent>.stride == 32)
        #expect(EngineFootprint.bytesPerEvent == MemoryLayout<ProgramEvent>.stride)
    }

    /// The fixed state grows with the frames at exactly `bytesPerFrame` per frame (plus the
    /// pageblock arrays), and a run adds handles and program linearly in the events.
    @Test func footprintIsLinearInFramesAndEvents() {
        var small = smallLayout()
        var large = small
        large.zones[0].pages *= 2
        let extraFrames = large.totalPages - small.totalPages
        let extraBlocks = extraFrames >> small.geometry.pageblockOrder
        let extraMemoryBlocks = extraFrames / small.memoryBlockPages
        #expect(EngineFootprint.machineBytes(large) - EngineFootprint.machineBytes(small)
                == extraFrames * 10 + extraBlocks * EngineFootprint.bytesPerPageblock + extraMemoryBlocks)
        small.cma = []
        let events = 1000
        #expect(EngineFootprint.runBytes(small, events: events) - EngineFootprint.machineBytes(small)
                == events * (EngineFootprint.bytesPerHandle + EngineFootprint.bytesPerEvent))
    }
}
