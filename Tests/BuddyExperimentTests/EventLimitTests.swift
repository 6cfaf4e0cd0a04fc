import BuddyCore
import BuddyYAML
import Foundation
import Testing
@testable import BuddyExperiment

#if canImport(Glibc)
import Glibc
#endif

/// Issue 25: a workload of `trace:` phases alone is streamed by `run`, so its limit is the
/// streamed one (`Experiment.maxStreamedEvents`, 2 × 10⁹: request ids are 32-bit); any other
/// workload is held in memory and keeps `Experiment.maxEvents` (10⁸). The paths are pinned here
/// with small limits (held 25, streamed 50) so no test needs 10⁸ events.
@Suite struct EventLimitTests {
    static let limits = EventLimits(held: 25, streamed: 50)

    /// `TraceStreamTests.trace(allocs: 10, lag: 3)`: 19 records the decode pass counts (one
    /// stray free, 10 allocations, 7 frees, 1 batched duplicate free).
    static let trace19 = TraceStreamTests.trace(allocs: 10, lag: 3)

    /// A directory with `t.txt` = `trace` and the experiment text of `phases` (one per line,
    /// each `  - …`); the phases start at line 6.
    func decode(_ phases: [String], trace: String = trace19) throws -> (Result<Experiment, YAMLDecodeError>, URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("limits-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try trace.write(to: dir.appendingPathComponent("t.txt"), atomically: true, encoding: .utf8)
        let yaml = "schema: 1\nname: t\nmachine:\n  zones: [ { name: Normal, size: 128MiB } ]\nworkload:\n"
            + phases.map { "  - \($0)\n" }.joined()
        let file = dir.appendingPathComponent("t.yaml").path
        do {
            let points = try Experiment.decodePoints(bytes: Array(yaml.utf8), file: file, limits: Self.limits)
            return (.success(points[0]), dir)
        } catch {
            return (.failure(error), dir)
        }
    }

    @Test func traceRecordsCounted() throws {
        let (r, dir) = try decode(["trace: { file: t.txt }"])
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try r.get().eventBound == 19)
    }

    /// Two traces (38 events) pass the held limit (25): trace phases alone are streamed. The
    /// commands that hold the program whole refuse it, naming the figures.
    @Test func traceOnlyWorkloadMayPassTheHeldLimit() throws {
        let (r, dir) = try decode(["trace: { file: t.txt }", "trace: { file: t.txt }"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let e = try r.get()
        #expect(e.eventBound == 38)
        #expect(e.isTraceOnly)
        #expect(e.heldWholeProblem(limit: 25) == "\(e.file): the workload has 38 events per seed; this holds the whole "
                + "program in memory (32 B an event), at most 25 events — only `run` and `validate` stream a longer trace")
        #expect(e.heldWholeProblem(limit: 38) == nil)
        #expect(e.heldWholeProblem() == nil)   // the real limit, 10⁸
    }

    /// A generated phase before the traces (an offline attempt: 1 event): refused at the trace
    /// that passes 25, with the held limit and what would lift it (file:line:column of the item).
    @Test func generatedThenTracesIsHeldAndRefused() throws {
        let (r, dir) = try decode(["offline: { blocks: [0] }", "trace: { file: t.txt }", "trace: { file: t.txt }"])
        defer { try? FileManager.default.removeItem(at: dir) }
        guard case .failure(let error) = r else { Issue.record("decoded"); return }
        #expect(error.description.hasSuffix(":8:5: the workload up to here may generate 39 events per seed; the limit is 25 "
                                            + "(a workload of trace: phases alone is streamed and may have up to 50)"), "\(error)")
    }

    /// Traces past 25, then a generated phase: refused at the `churn:` item.
    @Test func tracesThenGeneratedIsRefusedAtTheGeneratedPhase() throws {
        let (r, dir) = try decode(["trace: { file: t.txt }", "trace: { file: t.txt }", "churn: { events: 5 }"])
        defer { try? FileManager.default.removeItem(at: dir) }
        guard case .failure(let error) = r else { Issue.record("decoded"); return }
        #expect(error.description.hasSuffix(":8:5: the workload up to here may generate 43 events per seed; the limit is 25 "
                                            + "(a workload of trace: phases alone is streamed and may have up to 50)"), "\(error)")
    }

    /// Three traces (57) pass the streamed limit: refused at the third.
    @Test func tracesPastTheStreamedLimit() throws {
        let (r, dir) = try decode(["trace: { file: t.txt }", "trace: { file: t.txt }", "trace: { file: t.txt }"])
        defer { try? FileManager.default.removeItem(at: dir) }
        guard case .failure(let error) = r else { Issue.record("decoded"); return }
        #expect(error.description.hasSuffix(":8:5: the workload up to here may generate 57 events per seed; the limit is 50 "
                                            + "for a workload of trace: phases alone (streamed)"), "\(error)")
    }

    /// One trace longer than the streamed limit: refused at the record that passes it, before
    /// the rest is read (line 52 = the 51st record after the `# tracer` line).
    @Test func aTraceLongerThanTheStreamedLimit() throws {
        let (r, dir) = try decode(["trace: { file: t.txt }"], trace: TraceStreamTests.trace(allocs: 40, lag: 3))
        defer { try? FileManager.default.removeItem(at: dir) }
        guard case .failure(let error) = r else { Issue.record("decoded"); return }
        #expect(error.description == "t.txt:52:1: the trace has more than 50 events (request ids are 32-bit)")
    }

    /// The repository's limits: 10⁸ held, 2 × 10⁹ streamed, the streamed one inside `Int32`.
    @Test func realLimits() {
        #expect(Experiment.maxEvents == 100_000_000)
        #expect(Experiment.maxStreamedEvents == 2_000_000_000)
        #expect(Experiment.maxStreamedEvents <= Int(Int32.max))
        #expect(EventLimits().held == Experiment.maxEvents && EventLimits().streamed == Experiment.maxStreamedEvents)
    }

    /// A trace from a FIFO decodes to the same workload (events, hash) as the file, and the
    /// same FIFO named again with other settings is refused at its `file:` node: a pipe's text
    /// is read once.
    @Test func aFIFOIsTheFilesWorkloadAndIsReadOnce() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("limits-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = TraceStreamTests.trace(allocs: 300, lag: 17)
        try text.write(to: dir.appendingPathComponent("t.txt"), atomically: true, encoding: .utf8)
        let fifo = dir.appendingPathComponent("p.fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        feedFIFO(fifo, text)
        let head = "schema: 1\nname: t\nmachine:\n  zones: [ { name: Normal, size: 128MiB } ]\nworkload:\n"
        let file = try Experiment.decode(yaml: head + "  - trace: { file: t.txt }\n", file: dir.appendingPathComponent("a.yaml").path)
        let piped = try Experiment.decode(yaml: head + "  - trace: { file: p.fifo }\n", file: dir.appendingPathComponent("b.yaml").path)
        #expect(piped.eventBound == file.eventBound)
        let a = WorkloadGenerator.generate(file, seed: 1), b = WorkloadGenerator.generate(piped, seed: 1)
        #expect(a.program.events == b.program.events)
        #expect(a.sha256 == b.sha256)
        let again = decodeError(head + "  - trace: { file: p.fifo, mode: pfn }\n", file: dir.appendingPathComponent("c.yaml").path)
        #expect(again?.description == "\(dir.path)/c.yaml:6:20: trace p.fifo is a pipe already read for \(dir.path)/b.yaml: a pipe's text "
                + "is read once; name it in one trace: phase of one experiment")
    }

    /// What `validate` reports of a streamed workload: its events, the spill on disk (none
    /// below 1 MiB of ops: in memory) and the parse's time.
    @Test func streamFacts() throws {
        let (r, dir) = try decode(["trace: { file: t.txt }", "trace: { file: t.txt }"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let e = try r.get()
        #expect(e.streamFacts() == nil)   // under 2²⁰ events: held whole by `run`
        let facts = try #require(e.streamFacts(from: 0))
        let summary = { () -> TraceSummary in if case .trace(let t) = e.workload[0] { t.summary } else { TraceSummary() } }()
        #expect(facts.events == 2 * summary.events)
        #expect(facts.spillBytes == 0)
        #expect(facts.decodeSeconds == summary.decodeSeconds)   // one decode pass for the file named twice
        #expect(facts.decodeSeconds > 0)
    }
}
