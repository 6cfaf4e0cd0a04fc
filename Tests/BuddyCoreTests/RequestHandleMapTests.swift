import BuddyCore
import Testing

/// Issue 25: the executor's request → handle map of a streamed run holds the live requests only
/// (`LiveRequestHandles`), and answers exactly as the dense table a whole program uses.
@Suite struct RequestHandleMapTests {
    /// 200,000 seeded operations — successful and failed allocations of fresh request ids, frees
    /// of live, failed and already-freed requests — answered identically by both maps after each.
    /// The ids run past several growths, and probe runs wrap around the table's end.
    @Test func liveMapAnswersAsTheDenseTable() {
        var rng = SplitMix64(seed: 25)
        let total = 200_000
        var dense = DenseRequestHandles(count: total)
        var live = LiveRequestHandles(capacity: 16)
        defer { live.deallocate() }
        var next: Int32 = 0
        var issued: [Int32] = []
        var liveCount = 0
        for step in 0..<total {
            if next < Int32(total), issued.isEmpty || rng.below(100) < 55 {
                // A failed allocation is recorded with a negative handle, as `Machine.allocate` returns.
                let h: Int32 = rng.below(10) == 0 ? -1 : Int32(rng.below(1 << 30))
                dense.bind(next, to: h); live.bind(next, to: h)
                if h >= 0 { liveCount += 1 }
                issued.append(next)
                next += 1
            } else {
                let k = Int(rng.below(UInt64(issued.count)))
                let r = issued[k]
                if dense.handle(of: r) >= 0 { liveCount -= 1 }
                dense.unbind(r); live.unbind(r)
                // Keep some freed ids in the pool: their second free must stay a no-op.
                if rng.below(4) != 0 { issued.swapAt(k, issued.count - 1); issued.removeLast() }
            }
            let probe = Int32(rng.below(UInt64(next)))
            #expect(live.handle(of: probe) == max(dense.handle(of: probe), -1), "step \(step) request \(probe)")
        }
        #expect(live.count == liveCount)
        for r in 0..<next where live.handle(of: r) != max(dense.handle(of: r), -1) {
            Issue.record("request \(r): live \(live.handle(of: r)), dense \(dense.handle(of: r))")
        }
    }

    /// A million requests with never more than 64 live at once: the map stays at most four slots
    /// per live entry (`EngineFootprint.bytesPerLiveRequest`), however many requests went by.
    @Test func liveMapIsSizedByLiveRequests() {
        var live = LiveRequestHandles(capacity: 16)
        defer { live.deallocate() }
        var peak = 0
        for r in Int32(0)..<1_000_000 {
            live.bind(r, to: r & 0xFFFF)
            peak = max(peak, live.count)
            if r >= 64 { live.unbind(r - 64) }
        }
        #expect(peak == 65)
        #expect(live.count == 64)
        #expect(live.capacity == 256)
        #expect(live.capacity * MemoryLayout<UInt64>.stride <= peak * EngineFootprint.bytesPerLiveRequest)
        for r in Int32(1_000_000 - 64)..<1_000_000 { #expect(live.handle(of: r) == r & 0xFFFF) }
        #expect(live.handle(of: 1_000_000 - 65) == -1)
    }
}
