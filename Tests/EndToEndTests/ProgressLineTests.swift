@testable import BuddyCLI
import Foundation
import Testing

/// Issue 27: progress goes to stderr, and only when stderr is a terminal or `--progress` asks
/// for it (contract); results on stdout do not change with it. A pipe is not a terminal, so a
/// subprocess shows both sides.
@Suite struct ProgressLineTests {
    @Test func runProgressIsOnStderrOnlyWhenAsked() throws {
        let exe = SubprocessTests.executable
        try #require(FileManager.default.isExecutableFile(atPath: exe), "no \(exe)")
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.commit("tiny.yaml", TinyExperiment.yaml(), message: "add the e2e experiment")
        let quiet = try SubprocessTests().buddylabProcess(["run", "tiny.yaml", "--results", "r1", "--report", "a.md"], in: ws.repo)
        let loud = try SubprocessTests().buddylabProcess(["run", "tiny.yaml", "--results", "r2", "--report", "b.md", "--progress"],
                                                         in: ws.repo)
        #expect(quiet.0 == 0 && loud.0 == 0, "\(quiet.2)\(loud.2)")
        let runs = TinyExperiment.variants.count * TinyExperiment.seeds.count
        #expect(!quiet.2.contains(" runs, "), "\(quiet.2)")
        // The last run's line is always drawn (done == total), the ones before at most every 5 s.
        #expect(loud.2.contains("\(TinyExperiment.name): \(runs)/\(runs) runs, "), "\(loud.2)")
        // stdout (the summary) is the same with and without progress, the timing line aside.
        func summary(_ s: String) -> [String] { s.split(separator: "\n").map(String.init).filter { !$0.contains(" events in ") } }
        #expect(!summary(quiet.1).isEmpty)
        #expect(summary(quiet.1) == summary(loud.1))
        #expect(!loud.1.contains("/\(runs) runs"))
    }
}
