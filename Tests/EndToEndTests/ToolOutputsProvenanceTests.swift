import BuddyResults
import Foundation
import Testing

/// Issue 12, defect 8: the tool's own outputs inside the repository — the report it writes and
/// the results store — do not make the tree dirty and do not enter the diff hash, and the
/// report's revision note states that rule (the record names no paths, so runs that wrote to
/// different places stay identical). Regenerating twice gives a clean, identical provenance.
@Suite struct ToolOutputsProvenanceTests {
    @Test func ownOutputsDoNotMakeTheTreeDirty() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.commit("tiny.yaml", TinyExperiment.yaml(), message: "add the e2e experiment")
        try ws.commit("NOTES", "notes\n", message: "notes")
        let report = ws.repo + "/reports/tiny.md"
        let results = ws.repo + "/results"
        func run(_ json: String) throws -> RevisionInfo? {
            let r = buddylab(["run", ws.repo + "/tiny.yaml", "--results", results, "--repo", ws.repo,
                              "--report", report, "--json", ws.path(json)])
            #expect(r.status == 0, "\(r.stderr)")
            return try ws.document(json).document.revision
        }
        _ = try run("first.json")
        // The report and the store are committed, as `make run` users commit reports/.
        try Data("kept by hand\n".utf8).write(to: URL(fileURLWithPath: results + "/NOTE"))
        try ws.git("add", "reports", "results")
        try ws.git("commit", "-q", "-m", "reports and results")
        let head = try ws.git("rev-parse", "HEAD")

        // Both rewritten: the tree still reads clean.
        try Data("edited\n".utf8).write(to: URL(fileURLWithPath: results + "/NOTE"))
        let second = try #require(try run("second.json"))
        #expect(try ws.git("status", "--porcelain").contains("results/NOTE"))
        #expect(second.commit == head)
        #expect(second.dirty == false)
        #expect(second.dirtyDiffSHA256 == nil)
        // The record carries no note naming the paths (two runs writing to different places
        // must give identical results); the report states the rule.
        #expect(try ws.document("second.json").document.revisionNote == nil)
        #expect(try ReportChecks.provenance(String(contentsOfFile: report, encoding: .utf8))["revision note"]
                == "buddylab's own outputs (the report files, the results store, --json/--report targets) are not counted as changes (dirty state, diff hash)")
        #expect(try ReportChecks.provenance(String(contentsOfFile: report, encoding: .utf8))["tree"] == "clean")

        // A real change still counts, and its diff hash is the same with or without the
        // outputs changed beside it.
        try Data("notes, edited\n".utf8).write(to: URL(fileURLWithPath: ws.repo + "/NOTES"))
        let withOutputs = try #require(try run("third.json"))
        try ws.git("checkout", "--", "results/NOTE", "reports/tiny.md")
        let alone = try #require(try run("fourth.json"))
        #expect(withOutputs.dirty && alone.dirty)
        #expect(withOutputs.dirtyDiffSHA256 != nil)
        #expect(withOutputs.dirtyDiffSHA256 == alone.dirtyDiffSHA256)
        // `git diff HEAD -- NOTES` is what the hash covers; the excluded paths are not in it.
        #expect(try ws.git("diff", "HEAD", "--stat").contains("NOTES"))
    }
}
