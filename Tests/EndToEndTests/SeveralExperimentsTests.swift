import BuddyResults
import Foundation
import Testing

/// `buddylab run A.yaml B.yaml C.yaml`: each experiment's outputs are written on a background
/// thread while the next one simulates (OutputPipeline, issue 25). What a user sees must not
/// change: summaries and expectation failures in file order, every experiment's records and
/// report, exit 1 when any expectation failed.
@Suite struct SeveralExperimentsTests {
    static let names = ["e2e-one", "e2e-two", "e2e-three"]

    /// Three copies of the e2e experiment; the second fails an expectation for every variant
    /// (it has no invariant violation).
    static func workspace() throws -> Workspace {
        let ws = try Workspace()
        for (i, name) in names.enumerated() {
            var yaml = TinyExperiment.yaml().replacingOccurrences(of: "name: \(TinyExperiment.name)", with: "name: \(name)")
            if i == 1 { yaml += "  - { variant: all, metric: invariant_violations, equals: 1 }\n" }
            try ws.commit("\(name).yaml", yaml, message: "add \(name)")
        }
        return ws
    }

    /// In process (`--shard 0/1`: every task, and no report, which would go to the working
    /// directory's `reports/`): the background step prints into the command's capture, in order.
    @Test func inProcessTheOutputsKeepTheFilesOrder() throws {
        let ws = try Self.workspace()
        defer { ws.remove() }
        // What the working directory's reports/ holds before (another run may have put files
        // there): this run must neither create nor change them.
        func stamps() -> [Date?] {
            Self.names.map { (try? FileManager.default.attributesOfItem(atPath: "reports/\($0).md"))?[.modificationDate] as? Date }
        }
        let before = stamps()
        let result = buddylab(["run"] + Self.names.map { ws.repo + "/\($0).yaml" }
                              + ["--results", ws.results, "--repo", ws.repo, "--shard", "0/1"])
        #expect(stamps() == before)
        #expect(result.status == 1, "an expectation failed: \(result.stderr)")
        let summaries = result.stdout.split(separator: "\n").filter { $0.contains(" runs, ") && $0.contains(" events in ") }
        #expect(summaries.map { String($0.prefix { $0 != ":" }) } == Self.names)
        let failures = result.stderr.split(separator: "\n").filter { $0.contains("expect failed") }
        #expect(!failures.isEmpty && failures.allSatisfy { $0.contains("e2e-two.yaml:") })
        for name in Self.names {
            let (records, problems) = ResultStore(root: ws.results).records(experiment: name)
            #expect(problems.isEmpty)
            #expect(records.count == TinyExperiment.variants.count * TinyExperiment.seeds.count)
        }
    }

    /// Through the executable, in the repository (default `reports/`): the three summaries in
    /// order, the failure on the second, every report written.
    @Test func theExecutableWritesEveryReportInOrder() throws {
        try #require(FileManager.default.isExecutableFile(atPath: SubprocessTests.executable), "no \(SubprocessTests.executable)")
        let ws = try Self.workspace()
        defer { ws.remove() }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: SubprocessTests.executable)
        p.arguments = ["run"] + Self.names.map { "\($0).yaml" } + ["--results", ws.results]
        p.currentDirectoryURL = URL(fileURLWithPath: ws.repo)
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 1, "\(stderr)")
        let firstLines = stdout.split(separator: "\n").filter { line in Self.names.contains { line.hasPrefix("\($0): PASS") || line.hasPrefix("\($0): FAIL") } }
        #expect(firstLines.map { String($0.prefix { $0 != ":" }) } == Self.names)
        #expect(firstLines.count == 3 && firstLines[1].hasPrefix("e2e-two: FAIL"))
        for name in Self.names {
            let report = ws.repo + "/reports/\(name).md"
            #expect(FileManager.default.fileExists(atPath: report))
            #expect(((try? String(contentsOfFile: report, encoding: .utf8)) ?? "").contains("| experiment     | \(name)"))
            #expect(ResultStore(root: ws.results).records(experiment: name).records.count
                    == TinyExperiment.variants.count * TinyExperiment.seeds.count)
        }
    }
}
