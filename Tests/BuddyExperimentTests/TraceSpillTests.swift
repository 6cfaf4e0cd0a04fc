import BuddyCore
import Foundation
import Testing
@testable import BuddyExperiment

/// Issue 25's one parse: the decode pass writes the ops a trace becomes to a `TraceSpill`, and
/// generation reads them back instead of parsing the text again.
@Suite struct TraceSpillTests {
    /// Ops of every shape `TraceMatcher` makes, with and without a gfp mask.
    static func ops(_ n: Int) -> [EngineOp] {
        (0..<n).map { k in
            let request = Int32(k)
            let type = AllocType(rawValue: UInt8(k % 3))!
            let gfp: GFPMask? = k % 4 == 0 ? GFPMask(rawValue: UInt32(0x100cca + k)) : nil
            switch k % 3 {
            case 0: return .alloc(request: request, order: UInt8(k % 11), type: type, zone: -1, compound: nil, gfp: gfp)
            case 1: return .allocAt(pfn: 0x100000 + k * 3, request: request, order: UInt8(k % 16), type: type, compound: nil, gfp: gfp)
            default: return .free(request: Int32(k - 2))
            }
        }
    }

    static func words(_ ops: [EngineOp]) -> Int {
        ops.reduce(0) { n, op in
            switch op {
            case .alloc(_, _, _, _, _, let gfp): n + 1 + (gfp == nil ? 0 : 1)
            case .allocAt(_, _, _, _, _, let gfp): n + 2 + (gfp == nil ? 0 : 1)
            default: n + 1
            }
        }
    }

    static func shifted(_ op: EngineOp, by d: Int32) -> EngineOp {
        switch op {
        case .alloc(let r, let o, let t, let z, let c, let g): .alloc(request: r + d, order: o, type: t, zone: z, compound: c, gfp: g)
        case .allocAt(let p, let r, let o, let t, let c, let g): .allocAt(pfn: p, request: r + d, order: o, type: t, compound: c, gfp: g)
        case .free(let r): .free(request: r + d)
        default: op
        }
    }

    /// In memory, and in a file read 2¹⁶ words at a time (ops straddle the reads): the same ops,
    /// shifted by the offset asked for.
    @Test(arguments: [TraceSpill.defaultMemoryWords, 5])
    func roundTrip(memoryWords: Int) throws {
        let ops = Self.ops(70_001)
        let spill = TraceSpill(memoryWords: memoryWords)
        for op in ops { try spill.append(op) }
        try spill.finish()
        #expect(spill.ops == 70_001)
        #expect(spill.wordCount == Self.words(ops))
        #expect(spill.fileBytes == (memoryWords == 5 ? Self.words(ops) * 8 : 0))
        var back: [EngineOp] = []
        #expect(spill.forEachOp(requestOffset: 1000) { back.append($0); return true })
        #expect(back == ops.map { Self.shifted($0, by: 1000) })
    }

    @Test func stopsWhenAsked() throws {
        let spill = TraceSpill(memoryWords: 3)
        for op in Self.ops(100) { try spill.append(op) }
        try spill.finish()
        var seen = 0
        #expect(!spill.forEachOp(requestOffset: 0) { _ in seen += 1; return seen < 40 })
        #expect(seen == 40)
    }

    /// The experiment with every trace phase's spill dropped, so generation parses the text
    /// again (the path before the spill).
    static func reparsing(_ e: Experiment) -> Experiment {
        var e = e
        e.workload = e.workload.map { phase in
            guard case .trace(var t) = phase else { return phase }
            t.summary.spill = nil
            return .trace(t)
        }
        return e
    }

    /// The spill's program is the parsed one: events, requests, pre-capture blocks, tallies and
    /// `workload_sha256`, for requests and pfn modes, 2 CPUs and a capture replayed from `/proc`.
    @Test(arguments: [("requests", 1), ("pfn", 1), ("requests", 2)])
    func spilledEqualsReparsed(mode: String, cpus: Int) throws {
        let (e, dir) = try TraceStreamTests.experiment(TraceStreamTests.trace(allocs: 700, lag: 13), mode: mode, cpus: cpus)
        defer { try? FileManager.default.removeItem(at: dir) }
        guard case .trace(let t)? = e.workload.first else { Issue.record("no trace phase"); return }
        #expect(t.summary.spill?.ops == t.summary.events)
        let spilled = WorkloadGenerator.generate(e, seed: 3)
        let parsed = WorkloadGenerator.generate(Self.reparsing(e), seed: 3)
        #expect(spilled.program.events == parsed.program.events)
        #expect(spilled.program.requestCount == parsed.program.requestCount)
        #expect(spilled.workloadMetrics == parsed.workloadMetrics)
        #expect(spilled.sha256 == parsed.sha256)
        let stream = try #require(WorkloadGenerator.streamed(e, seed: 3, chunkSize: 50))
        let streamParsed = try #require(WorkloadGenerator.streamed(Self.reparsing(e), seed: 3, chunkSize: 50))
        #expect(stream.program.materialized().events == parsed.program.events)
        #expect(stream.sha256 == streamParsed.sha256 && stream.sha256 == parsed.sha256)
    }

    @Test func bundledFromProcCaptureAlike() throws {
        let e = try Experiment.load(contentsOf: Paths.experiments.appendingPathComponent("trace-git-clone-from-proc.yaml").path)
        let seed = e.seeds[0]
        let spilled = WorkloadGenerator.generate(e, seed: seed)
        let parsed = WorkloadGenerator.generate(Self.reparsing(e), seed: seed)
        #expect(spilled.program.events == parsed.program.events)
        #expect(spilled.program.initialState?.preCaptureBlocks == parsed.program.initialState?.preCaptureBlocks)
        #expect(spilled.program.initialState?.preCaptureBlocks.isEmpty == false)
        #expect(spilled.workloadMetrics == parsed.workloadMetrics)
        #expect(spilled.sha256 == parsed.sha256)
    }
}
