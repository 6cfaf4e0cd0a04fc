import BuddyCore
import BuddyTrace
import BuddyVariants
import Foundation
import Testing
@testable import BuddyExperiment

/// Issue 25: a trace workload streamed in chunks (`TraceEventSource`) is the same program as
/// the one built whole — same events, same `workload_sha256`, same results — while holding
/// only the live pages and a chunk.
@Suite struct TraceStreamTests {
    /// A deterministic ftrace-layout trace: `allocs` order-0/order-1 allocations at fresh pfns,
    /// each freed `lag` allocations later (so exactly `lag` + 1 pages are live at the peak),
    /// plus a free of a pfn never allocated and a batched duplicate free.
    static func trace(allocs: Int, lag: Int) -> String {
        var lines = ["# tracer: nop"]
        var ts = 0
        func line(_ body: String) {
            ts += 1
            lines.append("           bash-1     [000] .....   1.\(String(format: "%06d", ts)): " + body)
        }
        line("mm_page_free: page=00000000aaaa0001 pfn=0x7fff order=0")
        for k in 0..<allocs {
            let pfn = 0x400 + 2 * k
            let order = k % 5 == 0 ? 1 : 0
            line("mm_page_alloc: page=00000000aaaa0002 pfn=0x\(String(pfn, radix: 16)) order=\(order) migratetype=\(k % 3) gfp_flags=GFP_KERNEL")
            if k >= lag {
                let old = k - lag
                line("mm_page_free: page=00000000aaaa0002 pfn=0x\(String(0x400 + 2 * old, radix: 16)) order=\(old % 5 == 0 ? 1 : 0)")
                if old % 7 == 0 { line("mm_page_free_batched: page=00000000aaaa0002 pfn=0x\(String(0x400 + 2 * old, radix: 16)) order=0") }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func experiment(_ trace: String, mode: String = "requests", cpus: Int = 1) throws -> (Experiment, URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tracestream-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try trace.write(to: dir.appendingPathComponent("t.txt"), atomically: true, encoding: .utf8)
        let machine = "machine:\n  cpus: \(cpus)\n  zones:\n    - { name: Normal, size: 128MiB }"
        let yaml = Snippet.experiment(machine: machine, workload: "workload:\n  - trace: { file: t.txt, mode: \(mode) }")
        return (try Experiment.decode(yaml: yaml, file: dir.appendingPathComponent("t.yaml").path), dir)
    }

    /// Chunked (1, 3, 64 and 2¹⁶ events per chunk) and whole: identical events, counts and hash,
    /// in both modes and with the CPU draws of a 2-CPU machine.
    @Test(arguments: [("requests", 1), ("pfn", 1), ("requests", 2)])
    func streamIsTheWholeProgram(mode: String, cpus: Int) throws {
        let (e, dir) = try Self.experiment(Self.trace(allocs: 500, lag: 9), mode: mode, cpus: cpus)
        defer { try? FileManager.default.removeItem(at: dir) }
        let whole = WorkloadGenerator.generate(e, seed: 7)
        #expect(whole.program.eventSource == nil)
        for chunk in [1, 3, 64, TraceEventSource.defaultChunkSize] {
            let streamed = try #require(WorkloadGenerator.streamed(e, seed: 7, chunkSize: chunk))
            #expect(streamed.program.events.isEmpty)
            #expect(streamed.program.eventCount == whole.program.events.count)
            #expect(streamed.program.requestCount == whole.program.requestCount)
            #expect(streamed.workloadMetrics == whole.workloadMetrics)
            // The digest made on the stream (by the first cursor) and by a pass of its own.
            let drained = streamed.program.materialized()
            #expect(drained.events == whole.program.events)
            #expect(streamed.sha256 == whole.sha256)
            let fresh = try #require(WorkloadGenerator.streamed(e, seed: 7, chunkSize: chunk))
            #expect(fresh.sha256 == whole.sha256)
        }
        if cpus > 1 { #expect(whole.program.events.contains { $0.cpu == 1 }) }
    }

    /// The run of a streamed program (each variant its own cursor) equals the whole program's:
    /// every metric, fault and op, on variants of three eras.
    @Test func streamedReplayEqualsWholeReplay() throws {
        let (e, dir) = try Self.experiment(Self.trace(allocs: 3000, lag: 400), cpus: 2)
        defer { try? FileManager.default.removeItem(at: dir) }
        let whole = WorkloadGenerator.generate(e, seed: 1)
        let streamed = try #require(WorkloadGenerator.streamed(e, seed: 1, chunkSize: 100))
        for id in ["linux-3.5", "linux-5.19", "linux-6.12"] {
            let v = try #require(Variants.named(id))
            let a = v.run(whole.program, RunOptions(checkEvery: 1000))
            let b = v.run(streamed.program, RunOptions(checkEvery: 1000))
            #expect(a.metrics == b.metrics, "\(id)")
            #expect(a.metrics["events"] == whole.program.events.count)
            #expect(a.faults.map { "\($0.event) \($0.kind) \($0.detail)" } == b.faults.map { "\($0.event) \($0.kind) \($0.detail)" })
            #expect(a.buddyinfo == b.buddyinfo && a.pagetypeinfo == b.pagetypeinfo)
        }
        #expect(streamed.sha256 == whole.sha256)
    }

    /// `run`'s runner streams a trace at or above the threshold and gives byte-equal records.
    @Test func runnerStreamsAboveTheThreshold() throws {
        let (e, dir) = try Self.experiment(Self.trace(allocs: 800, lag: 50))
        defer { try? FileManager.default.removeItem(at: dir) }
        var streaming = ExperimentRunner(jobs: 2)
        streaming.streamingThreshold = 0
        var whole = ExperimentRunner(jobs: 2)
        whole.streamingThreshold = Int.max
        #expect(WorkloadGenerator.generate(e, seed: 1, streamingFrom: 0).program.eventSource != nil)
        #expect(WorkloadGenerator.generate(e, seed: 1, streamingFrom: Int.max).program.eventSource == nil)
        let a = streaming.run(e), b = whole.run(e)
        #expect(a.runs.count == b.runs.count && !a.runs.isEmpty)
        for (x, y) in zip(a.runs, b.runs) {
            var (x, y) = (x, y)
            x.timing = nil; y.timing = nil
            #expect(x == y)
        }
    }

    /// Requests are matched to frees by a table of the live pages only: with every allocation
    /// freed 9 allocations later, the decode pass's table never held more than 10 pages over
    /// 5,000 allocations (the trace's own peak, computed here from its text).
    @Test func matchingTableIsBoundedByLivePages() throws {
        let (e, dir) = try Self.experiment(Self.trace(allocs: 5000, lag: 9))
        defer { try? FileManager.default.removeItem(at: dir) }
        guard case .trace(let t) = e.workload[0] else {
            Issue.record("expected a trace phase")
            return
        }
        #expect(t.summary.peakLive == 10)
        #expect(t.summary.events == 5000 + (5000 - 9))
        #expect(t.summary.requests == 5000)
        // The same matcher over the whole program: the live table shrinks back as frees arrive.
        var m = TraceMatcher(t, servePreCapture: false, firstRequest: 0)
        var maxLive = 0
        try TraceReader.forEachRecord(path: t.path) { r in
            _ = m.consume(r)
            maxLive = max(maxLive, m.liveCount)
        }
        #expect(maxLive == 10 && m.liveCount == 9)
        // 2 × 10 entries fit the first 16 slots... but growth keeps the load at most 1/2: 32.
        #expect(m.live.capacity == 32)
    }

    /// The live-page table against `Dictionary` over 200,000 seeded inserts, replacements and
    /// removals of clustered pfns (long probe runs, wrap-around, backward shifts): the same
    /// answer to every operation, and a capacity of at most 4 × the peak of live entries.
    @Test func livePageTableMatchesDictionary() {
        var table = LivePageTable()
        var reference: [Int: (Int32, UInt8)] = [:]
        var rng = SplitMix64(seed: 25)
        var peak = 0
        for step in 0..<200_000 {
            // Clustered pfns (0x100000 + 0…4095, every 64th page) collide in the hash's high bits.
            let pfn = 0x10_0000 + Int(rng.below(4096)) * 64
            let target = step < 100_000 ? 900 : 60   // grow, then shrink the live set
            if reference.count < target && rng.below(2) == 0 {
                let r = Int32(step), o = UInt8(rng.below(11))
                let existed = table.update(pfn: pfn, request: r, order: o)
                #expect(existed == (reference.updateValue((r, o), forKey: pfn) != nil))
            } else {
                let got = table.remove(pfn: pfn)
                let want = reference.removeValue(forKey: pfn)
                #expect(got?.request == want?.0 && got?.order == want?.1)
            }
            #expect(table.count == reference.count)
            peak = max(peak, reference.count)
        }
        for (pfn, v) in reference {
            let got = table.remove(pfn: pfn)
            #expect(got?.request == v.0 && got?.order == v.1)
        }
        #expect(table.count == 0)
        #expect(table.capacity <= 4 * peak && table.capacity >= 2 * peak)
    }

    /// A cursor dropped before the end stops its producer and gives up the hash claim: the
    /// digest is then made by a pass of its own, equal to the whole program's.
    @Test func abandonedCursorReleasesTheHash() throws {
        let (e, dir) = try Self.experiment(Self.trace(allocs: 400, lag: 5))
        defer { try? FileManager.default.removeItem(at: dir) }
        let streamed = try #require(WorkloadGenerator.streamed(e, seed: 1, chunkSize: 8))
        do {
            let cursor = try #require(streamed.program.eventSource).makeCursor()
            var chunk: [ProgramEvent] = []
            #expect(cursor.next(into: &chunk))
            #expect(chunk.count == 8)
        }
        #expect(streamed.sha256 == WorkloadGenerator.generate(e, seed: 1).sha256)
    }

    /// Bundled captures (pinned pfns; pre-capture frees served from /proc): streamed and whole
    /// hash alike, so the stored `workload_sha256` values stand (all four bundled trace
    /// experiments were compared old build against new, `docs/engine.md`).
    @Test func bundledTracesHashAlikeStreamed() throws {
        for name in ["trace-git-clone-pfn", "trace-git-clone-from-proc"] {
            let e = try Experiment.load(contentsOf: Paths.experiments.appendingPathComponent(name + ".yaml").path)
            let seed = e.seeds[0]
            let whole = WorkloadGenerator.generate(e, seed: seed)
            let streamed = try #require(WorkloadGenerator.streamed(e, seed: seed, chunkSize: 4096))
            #expect(streamed.program.eventCount == whole.program.events.count, "\(name)")
            #expect(streamed.sha256 == whole.sha256, "\(name)")
            #expect(streamed.workloadMetrics == whole.workloadMetrics, "\(name)")
            #expect(streamed.program.initialState?.preCaptureBlocks == whole.program.initialState?.preCaptureBlocks)
        }
    }

    /// The engine's chunk loop on a workload of every phase kind (smoke.yaml: fill, churn,
    /// contig, CMA, offline/online, scripted ops): 7-event chunks give the whole program's
    /// metrics, op results, faults and series.
    @Test func chunkedEngineLoopEqualsWholeLoop() throws {
        let e = try Experiment.load(contentsOf: Paths.experiments.appendingPathComponent("smoke.yaml").path)
        let whole = WorkloadGenerator.generate(e, seed: 1).program
        var chunked = whole
        chunked.events = []
        chunked.eventSource = ArrayEventSource(whole.events, chunkSize: 7)
        #expect(chunked.eventCount == whole.events.count && whole.events.count > 7)
        let v = try #require(Variants.named("linux-5.19"))
        let a = v.run(whole, RunOptions(checkEvery: 50)), b = v.run(chunked, RunOptions(checkEvery: 50))
        #expect(a.metrics == b.metrics)
        #expect(a.ops == b.ops)
        #expect(a.series == b.series && a.timeSeries == b.timeSeries)
        #expect(a.faults.map { "\($0.event) \($0.kind)" } == b.faults.map { "\($0.event) \($0.kind)" })
        #expect(WorkloadHash.sha256(chunked) == WorkloadHash.sha256(whole))
    }

    /// A streamed run's footprint has no per-event and no per-request term (issue 25: the
    /// executor's request → handle map holds live requests only): 4,000 allocations, each freed
    /// 9 later, need exactly what 1,000 need — the same live pages, four times the events.
    @Test func streamedFootprintIsIndependentOfTraceLength() throws {
        let (small, d1) = try Self.experiment(Self.trace(allocs: 1000, lag: 9))
        let (large, d2) = try Self.experiment(Self.trace(allocs: 4000, lag: 9))
        defer { try? FileManager.default.removeItem(at: d1); try? FileManager.default.removeItem(at: d2) }
        let a = try #require(small.streamedFootprintBytes(from: 0))
        let b = try #require(large.streamedFootprintBytes(from: 0))
        #expect(a == b)
        // Under the threshold the program is held whole and counted per event, as before.
        #expect(small.streamedFootprintBytes() == nil)
        // Held whole, a trace-only workload is sized by its decode pass's counts — 1,000 requests,
        // at most 10 live (each freed 9 allocations later), 1,991 events (the untracked first
        // free and the batched frees of freed pages are none) — not by one live page per event.
        // Plus its spill, in memory: 1,991 one-word ops in the 4,096 words first reserved (32 KiB;
        // the array's capacity, which malloc's rounding may lift by a word).
        #expect(small.spillMemoryBytes >= 4096 * 8 && small.spillMemoryBytes < 4096 * 8 + 64)
        #expect(small.runFootprintBytes
                == EngineFootprint.runBytes(small.machine.layout, events: 1991, liveBound: 10, requests: 1000) + small.spillMemoryBytes)
    }
}
