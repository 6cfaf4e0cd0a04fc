@testable import BuddyCore
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
        // 1,000 events: the handle table's first 1,024 slots (8 B each), 4 B per request, 32 B per
        // event; 5,000: the table capped by the machine's 2,048 frames.
        #expect(small.totalPages == 2048)
        for events in [1000, 5000] {
            let slots = events <= 1024 ? 1024 : 2048
            #expect(EngineFootprint.runBytes(small, events: events) - EngineFootprint.machineBytes(small)
                    == slots * 8 + events * 4 + events * EngineFootprint.bytesPerEvent)
        }
    }

    /// Issue 25: the handle table is sized as `HandleTable` grows — 1,024 slots, doubled until
    /// the live handles fit — and a generated program's array as Swift's grows past the
    /// generator's reservation. Checked against a live table: its storage is `capacity` slots.
    @Test func capacitiesFollowTheirGrowth() {
        #expect(HandleTable.initialCapacity == 1024)
        #expect(EngineFootprint.handleTableCapacity(0) == 1024)
        #expect(EngineFootprint.handleTableCapacity(1024) == 1024)
        #expect(EngineFootprint.handleTableCapacity(1025) == 2048)
        #expect(EngineFootprint.handleTableCapacity(524_288) == 524_288)
        #expect(EngineFootprint.handleTableCapacity(524_289) == 1_048_576)
        #expect(EngineFootprint.handleTableBytes(3000) == 4096 * 8)
        var table = HandleTable()
        for k in 0..<3000 { _ = table.issue(pfn: UInt32(k)) }
        #expect(table.capacity == EngineFootprint.handleTableCapacity(3000))
        table.deallocate()
        // Reserved 4 Mi events: a program of up to that many stays in it; one more doubles it.
        #expect(EngineFootprint.eventCapacity(events: 524_289, reserved: 524_289) == 524_289)
        #expect(EngineFootprint.eventCapacity(events: 1 << 22, reserved: 1 << 22) == 1 << 22)
        #expect(EngineFootprint.eventCapacity(events: (1 << 22) + 1, reserved: 1 << 22) == 1 << 23)
        #expect(EngineFootprint.eventCapacity(events: 9_000_000, reserved: 1 << 22) == 1 << 24)
        var array: [ProgramEvent] = []
        array.reserveCapacity(1000)
        for _ in 0..<1001 { array.append(ProgramEvent(.free(request: 0))) }
        #expect(array.capacity >= EngineFootprint.eventCapacity(events: 1001, reserved: 1000))
        #expect(array.capacity < EngineFootprint.eventCapacity(events: 1001, reserved: 1000) + 64)
    }

    /// Issue 25's estimator, term by term with the figures written out: a program held whole
    /// pays the handle table (8 B a slot, 1,024 slots doubled until the live handles fit, capped
    /// by the frames), 4 B per request and 32 B per event slot; a streamed one the same table,
    /// 32 B per live request (the live map at its largest), 48 B per matched page and four
    /// chunks of 32-byte events — nothing per event or request.
    @Test func estimatorArithmetic() {
        var layout = smallLayout()
        layout.cma = []
        let machine = EngineFootprint.machineBytes(layout)
        #expect(EngineFootprint.bytesPerHandle == 20 && EngineFootprint.bytesPerLiveRequest == 32)
        #expect(layout.totalPages == 2048)
        #expect(EngineFootprint.runBytes(layout, events: 1_000_000, liveBound: 1_500, requests: 500_000) - machine
                == 2048 * 8 + 500_000 * 4 + 1_000_000 * 32)
        // The generator's array past its reservation: 2²² slots doubled to 2²³ for 5,000,000 events.
        #expect(EngineFootprint.runBytes(layout, events: 5_000_000, liveBound: 1_500, requests: 500_000,
                                         eventCapacity: EngineFootprint.eventCapacity(events: 5_000_000, reserved: 1 << 22)) - machine
                == 2048 * 8 + 500_000 * 4 + 8_388_608 * 32)
        // More live handles than frames: the handle table stops at the frames (2,048 slots).
        let frames = layout.totalPages
        #expect(EngineFootprint.runBytes(layout, events: 10 * frames, liveBound: 2 * frames, requests: 5 * frames) - machine
                == frames * 8 + 5 * frames * 4 + 10 * frames * 32)
        #expect(EngineFootprint.streamedRunBytes(layout, liveBound: 1_500, matchedPages: 1_400, chunkEvents: 1 << 16) - machine
                == 2048 * 8 + 1_500 * 32 + 1_400 * 48 + 4 * 65_536 * 32)
    }
}
