@testable import BuddyCLI
import BuddyResults
import Foundation
import Testing

/// Issue 12 through the real executable, for what in-process runs cannot show: the default
/// `reports/` directory (relative to the working directory, which an in-process test must not
/// change) and standard output being the process's own file descriptor 1.
///
/// `swift test` builds the `buddylab` product next to the test bundle (`.build/<config>/`).
@Suite struct SubprocessTests {
    static var executable: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("buddylab").path
    }

    /// Runs the executable in `directory`; returns (status, stdout, stderr).
    func buddylabProcess(_ arguments: [String], in directory: String) throws -> (Int32, String, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.executable)
        p.arguments = arguments
        p.currentDirectoryURL = URL(fileURLWithPath: directory)
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    /// Defect 8 as `make run` meets it: run, commit the regenerated `reports/`, change the
    /// report (as the next regeneration does), run again: the results are stored as clean, under
    /// the same revision, with the note naming `reports/` and `results/`.
    @Test func regeneratingReportsKeepsTheTreeClean() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.executable), "no \(Self.executable)")
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.commit(".gitignore", "/results/\n", message: "ignore the store")
        try ws.commit("tiny.yaml", TinyExperiment.yaml(), message: "add the e2e experiment")
        let (s1, _, e1) = try buddylabProcess(["run", "tiny.yaml"], in: ws.repo)
        #expect(s1 == 0, "\(e1)")
        try ws.git("add", "reports")
        try ws.git("commit", "-q", "-m", "regenerate reports")
        let head = try ws.git("rev-parse", "HEAD")
        let report = ws.repo + "/reports/\(TinyExperiment.name).md"
        try Data((try String(contentsOfFile: report, encoding: .utf8) + "edited\n").utf8)
            .write(to: URL(fileURLWithPath: report))
        #expect(try ws.git("status", "--porcelain") == "M reports/\(TinyExperiment.name).md")

        let (s2, _, e2) = try buddylabProcess(["run", "tiny.yaml"], in: ws.repo)
        #expect(s2 == 0, "\(e2)")
        let (records, problems) = ResultStore(root: ws.repo + "/results").records(experiment: TinyExperiment.name)
        #expect(problems.isEmpty)
        let atHead = records.filter { $0.revision?.commit == head }
        #expect(atHead.count == TinyExperiment.variants.count * TinyExperiment.seeds.count)
        #expect(atHead.allSatisfy { $0.revision?.dirty == false && $0.revision?.dirtyDiffSHA256 == nil })
        #expect(atHead.allSatisfy { $0.revisionNote == nil })
        let written = try String(contentsOfFile: report, encoding: .utf8)
        #expect(try ReportChecks.provenance(written)["tree"] == "clean")
    }

    /// Defect 1: `--json /dev/stdout` in a real process whose stdout is a pipe: the pipe gets
    /// exactly the document, the summary goes to stderr, and `/dev/stdout` is still a link.
    @Test func jsonToTheProcessStandardOutput() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.executable), "no \(Self.executable)")
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.commit("tiny.yaml", TinyExperiment.yaml(), message: "add the e2e experiment")
        for path in ["/dev/stdout", "-"] {
            let (status, out, err) = try buddylabProcess(
                ["run", "tiny.yaml", "--json", path, "--report", ws.path("r.md"), "--results", ws.results], in: ws.repo)
            #expect(status == 0, "\(err)")
            let doc = try ResultJSON.decode(ResultDocument.self, from: Data(out.utf8))
            #expect(doc.experiment.name == TinyExperiment.name)
            #expect(err.contains("\(TinyExperiment.name): PASS expectations"))
        }
        let kind = try FileManager.default.attributesOfItem(atPath: "/dev/stdout")[.type] as? FileAttributeType
        #expect(kind == .typeSymbolicLink)
    }

    /// One-character relative output paths (`--results r --json j --report m`): the run writes
    /// all three beside the working directory. Foundation's `deletingLastPathComponent` trapped
    /// on "r" (SIGILL, exit 132) before `PathText.parent` replaced it.
    @Test func oneCharacterRelativeOutputPaths() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.executable), "no \(Self.executable)")
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.commit("tiny.yaml", TinyExperiment.yaml(), message: "add the e2e experiment")
        let (status, _, err) = try buddylabProcess(["run", "tiny.yaml", "--results", "r", "--json", "j", "--report", "m"],
                                                   in: ws.repo)
        #expect(status == 0, "\(err)")
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: ws.repo + "/r", isDirectory: &isDirectory) && isDirectory.boolValue)
        let doc = try ResultJSON.decode(ResultDocument.self, from: Data(contentsOf: URL(fileURLWithPath: ws.repo + "/j")))
        #expect(doc.experiment.name == TinyExperiment.name)
        #expect(try String(contentsOfFile: ws.repo + "/m", encoding: .utf8).hasPrefix("# "))
    }

    /// `PathText.parent` (the directory part of a path) on the shapes the output checks meet.
    @Test func pathParent() {
        let cases = [("r", "."), ("ab", "."), ("a/b", "a"), ("/r", "/"), ("a/b/", "a"), ("a//b", "a"),
                     ("/", "/"), ("./r", "."), ("../x/y", "../x")]
        for (path, parent) in cases { #expect(PathText.parent(of: path) == parent, "\(path)") }
    }
}
