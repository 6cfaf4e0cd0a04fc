import BuddyExperiment
import Foundation
import Testing

/// Issue 12: a corpus of 1,200 malformed experiment files made from the bundled experiments by
/// deterministic mutation (`ExperimentMutator`). For each: `validate` (in-process) exits 0 or 2,
/// never 1 or ≥ 3 and never crashes; an exit 2 names `file:line:column`; nothing is written.
/// A subset that still validates is also `run` (one variant, one seed): exit 0/1, or 2 with a
/// located message and nothing written — never ≥ 3.
@Suite struct MalformedCorpusTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path
    static let perSourceAndKind = 10

    /// `buddylab: error: FILE:LINE:COLUMN: message` with LINE, COLUMN ≥ 1.
    static func isLocated(_ stderr: String, file: String) -> Bool {
        let prefix = "buddylab: error: \(file):"
        guard stderr.hasPrefix(prefix) else { return false }
        let parts = stderr.dropFirst(prefix.count).split(separator: ":", maxSplits: 2)
        guard parts.count == 3, let line = Int(parts[0]), let column = Int(parts[1]) else { return false }
        return line >= 1 && column >= 1 && parts[2].count > 1
    }

    @Test func mutantsNeverCrashAndAreLocated() throws {
        let experiments = Self.root + "/experiments"
        let sources = try FileManager.default.contentsOfDirectory(atPath: experiments)
            .filter { $0.hasSuffix(".yaml") }.sorted()
        try #require(sources.count >= 5)
        let ws = try Workspace()
        defer { ws.remove() }
        let dir = ws.path("corpus")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)

        var mutator = ExperimentMutator(seed: 12)
        var written: [String] = []
        var accepted: [String] = []
        var statusCounts: [Int32: Int] = [:]
        for source in sources {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: experiments + "/" + source)))
            for kind in ExperimentMutator.Kind.allCases {
                for n in 0..<Self.perSourceAndKind {
                    let name = "\(source.dropLast(5))-\(kind)-\(n).yaml"
                    let path = dir + "/" + name
                    try Data(mutator.mutate(bytes, kind)).write(to: URL(fileURLWithPath: path))
                    written.append(name)
                    // --quick: the mutants are about parsing; generating each accepted one's
                    // program for the peak estimate took 5 minutes in a debug build.
                    let r = buddylab(["validate", path, "--max-memory", "4GiB", "--quick"])
                    statusCounts[r.status, default: 0] += 1
                    #expect(r.status == 0 || r.status == 2, "\(name): exit \(r.status): \(r.stderr)")
                    if r.status == 2 {
                        #expect(Self.isLocated(r.stderr, file: path), "\(name): \(r.stderr)")
                        #expect(r.stdout == "")
                    } else if r.status == 0 {
                        accepted.append(path)
                    }
                }
            }
        }
        #expect(written.count >= 1000)
        // Validation wrote nothing: the corpus directory holds the mutants and nothing else.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == written.sorted())
        // Most mutants are refused, some survive (a changed number can still be valid).
        #expect((statusCounts[2] ?? 0) > written.count / 2)
        #expect(!accepted.isEmpty)
        print("corpus: \(written.count) mutants, exit 2: \(statusCounts[2] ?? 0), exit 0: \(statusCounts[0] ?? 0)")

        // Run a few small survivors end to end.
        let small = accepted.filter { path in
            guard let e = try? Experiment.load(contentsOf: path) else { return false }
            return e.eventBound <= 100_000 && e.machine.layout.totalPages <= 1 << 18
        }
        for (i, path) in small.prefix(8).enumerated() {
            let json = ws.path("run-\(i).json"), report = ws.path("run-\(i).md")
            let results = ws.path("results-\(i)")
            let r = buddylab(["run", path, "--variants", "linux-5.19", "--seeds", "1", "--jobs", "1",
                              "--results", results, "--repo", ws.repo, "--json", json, "--report", report])
            #expect([0, 1, 2].contains(r.status), "\(path): exit \(r.status): \(r.stderr)")
            if r.status == 2 {
                #expect(Self.isLocated(r.stderr, file: path) || r.stderr.hasPrefix("buddylab: error: --"), "\(r.stderr)")
                #expect(!FileManager.default.fileExists(atPath: json))
                #expect(!FileManager.default.fileExists(atPath: report))
                #expect(!FileManager.default.fileExists(atPath: results))
            } else {
                #expect(FileManager.default.fileExists(atPath: json))
            }
        }
        #expect(!small.isEmpty)
    }
}
