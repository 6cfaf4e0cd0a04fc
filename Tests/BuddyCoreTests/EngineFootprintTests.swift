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

    /// Issue 25's estimator, term by term with the figures written out: a program held whole
    /// pays 16 B per live handle (capped by the frames), 4 B per request and 32 B per event; a
    /// streamed one 16 B per live handle, 32 B per live request (the live map at its largest),
    /// 48 B per matched page and four chunks of 32-byte events — nothing per event or request.
    @Test func estimatorArithmetic() {
        var layout = smallLayout()
        layout.cma = []
        let machine = EngineFootprint.machineBytes(layout)
        #expect(EngineFootprint.bytesPerHandle == 20 && EngineFootprint.bytesPerLiveRequest == 32)
        #expect(layout.totalPages == 2048)
        #expect(EngineFootprint.runBytes(layout, events: 1_000_000, liveBound: 1_500, requests: 500_000) - machine
                == 1_500 * 16 + 500_000 * 4 + 1_000_000 * 32)
        // More live handles than frames: the handle table stops at the frames.
        let frames = layout.totalPages
        #expect(EngineFootprint.runBytes(layout, events: 10 * frames, liveBound: 2 * frames, requests: 5 * frames) - machine
                == frames * 16 + 5 * frames * 4 + 10 * frames * 32)
        #expect(EngineFootprint.streamedRunBytes(layout, liveBound: 1_500, matchedPages: 1_400, chunkEvents: 1 << 16) - machine
                == 1_500 * 16 + 1_500 * 32 + 1_400 * 48 + 4 * 65_536 * 32)
    }
}
