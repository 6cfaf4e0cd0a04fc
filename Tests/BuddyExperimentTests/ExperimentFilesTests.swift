import BuddyExperiment
import BuddyYAML
import Foundation
import Testing

/// `ExperimentFiles.loadPoints`: `run` decodes its files side by side, with the outcome of
/// decoding them one after another — in particular for a trace read from a pipe, which only the
/// first experiment naming it may read (`PipeClaims`; issue 25).
@Suite struct ExperimentFilesTests {
    static let head = "schema: 1\nname: t\nmachine:\n  zones: [ { name: Normal, size: 128MiB } ]\nworkload:\n"

    /// Four files, two of them naming one FIFO: on every repetition the earlier one (b) reads
    /// it — the same events as the trace read from a file — and the later one (c) is refused
    /// naming b, as a serial load does; the files around them load.
    @Test func aPipeGoesToTheFirstFileThatNamesIt() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("files-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = TraceStreamTests.trace(allocs: 300, lag: 17)
        try text.write(to: dir.appendingPathComponent("t.txt"), atomically: true, encoding: .utf8)
        for round in 0..<3 {
            let fifo = "p\(round).fifo"
            #expect(mkfifo(dir.appendingPathComponent(fifo).path, 0o600) == 0)
            feedFIFO(dir.appendingPathComponent(fifo).path, text)
            let files = ["a", "b", "c", "d"].map { dir.appendingPathComponent("\($0)\(round).yaml").path }
            for (file, trace) in zip(files, ["t.txt", fifo, fifo, "t.txt"]) {
                try (Self.head + "  - trace: { file: \(trace) }\n").write(toFile: file, atomically: true, encoding: .utf8)
            }
            let results = ExperimentFiles.loadPoints(files, jobs: 2)
            let a = try results[0].get(), b = try results[1].get(), d = try results[3].get()
            #expect(b[0].eventBound == a[0].eventBound && d[0].eventBound == a[0].eventBound)
            guard case .failure(let error) = results[2] else { Issue.record("c\(round).yaml read the pipe too"); continue }
            #expect(error.description.hasPrefix("\(files[2]):6:20: trace \(fifo) is a pipe already read for \(files[1]):"))
        }
    }

    /// A file after one that failed does not read its pipe (serially the load stopped at the
    /// failure): no writer is needed, and its result says why.
    @Test func aPipeIsNotReadAfterAnEarlierFailure() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("files-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(mkfifo(dir.appendingPathComponent("q.fifo").path, 0o600) == 0)
        let bad = dir.appendingPathComponent("bad.yaml").path, piped = dir.appendingPathComponent("piped.yaml").path
        try "schema: 1\nname: t\nmachine: [\n".write(toFile: bad, atomically: true, encoding: .utf8)
        try (Self.head + "  - trace: { file: q.fifo }\n").write(toFile: piped, atomically: true, encoding: .utf8)
        let results = ExperimentFiles.loadPoints([bad, piped], jobs: 2)
        guard case .failure(let first) = results[0], case .failure(let second) = results[1] else {
            Issue.record("both files must fail"); return
        }
        #expect(first.description.hasPrefix(bad + ":"))
        #expect(second.description == "\(piped):6:20: trace q.fifo is a pipe, not read: an earlier experiment file failed")
    }
}
