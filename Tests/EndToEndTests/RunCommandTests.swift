import BuddyResults
import Foundation
import Testing

/// Issue 6: `buddylab run` end to end — YAML in a throw-away git repository, in-process CLI,
/// then the report, the result JSON and the store checked against each other.
@Suite struct RunCommandTests {
    @Test func reportJSONAndStoreAgree() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let head = try ws.commit("tiny.yaml", TinyExperiment.yaml(), message: "add the e2e experiment")
        let run = try ws.run("tiny.yaml", json: "run.json")
        let result = try ws.document("run.json")
        let report = try ws.read("run.json.md")

        // The summary goes to stdout; nothing goes to stderr on a clean run.
        #expect(run.stdout.hasPrefix("\(TinyExperiment.name): PASS expectations 1/1 passed"))
        #expect(run.stderr == "")

        // Provenance: the JSON and the report header name the temporary repository's HEAD.
        #expect(result.document.revision?.commit == head)
        #expect(result.document.revision?.dirty == false)
        let header = try ReportChecks.provenance(report)
        #expect(header["commit"] == head)
        #expect(header["tree"] == "clean")
        #expect(header["commit summary"] == "add the e2e experiment")
        #expect(header["variants"] == TinyExperiment.variants.joined(separator: ", "))
        #expect(header["seeds"] == TinyExperiment.seeds.map(String.init).joined(separator: ", "))

        // Every (variant, seed) ran, once.
        let pairs = result.document.runs.map { "\($0.variant)/\($0.seed)" }
        let expectedPairs = TinyExperiment.variants.flatMap { v in TinyExperiment.seeds.map { "\(v)/\($0)" } }
        #expect(pairs.sorted() == expectedPairs.sorted())

        try ReportChecks.metricTables(report, result)
        try ReportChecks.opsTable(report, result)

        // The store holds exactly variants × seeds records, at HEAD, equal to the JSON's runs.
        let (records, problems) = ResultStore(root: ws.results).records(experiment: TinyExperiment.name)
        #expect(problems.isEmpty)
        #expect(records.count == TinyExperiment.variants.count * TinyExperiment.seeds.count)
        #expect(storedFiles(under: ws.results).count == records.count)
        #expect(Set(records.map { "\($0.run.variant)/\($0.run.seed)" }) == Set(expectedPairs))
        #expect(records.allSatisfy { $0.revision?.commit == head && $0.isBaselineEligible })
        for record in records {
            let fromJSON = result.run(record.run.variant, seed: record.run.seed)
            #expect(record.run.metrics == fromJSON?.metrics)
            #expect(record.run.ops == fromJSON?.ops)
        }

        // The /proc dumps stay in the records and the JSON but are not rendered unless asked for.
        #expect(result.document.runs.allSatisfy { $0.extras?.buddyinfo?.isEmpty == false })
        #expect(!report.contains("/proc/buddyinfo"))
        #expect(!report.contains("## /proc views"))
    }

    /// `--proc-dumps`: one buddyinfo and one pagetypeinfo block per variant (first seed), holding
    /// the JSON's dumps verbatim; the reproduce line carries the flag.
    @Test func procDumpsFlagAddsOnePairPerVariant() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.commit("tiny.yaml", TinyExperiment.yaml(), message: "add the e2e experiment")
        try ws.run("tiny.yaml", json: "run.json", extra: ["--proc-dumps"])
        let result = try ws.document("run.json")
        let report = try ws.read("run.json.md")
        try ProcDumpChecks.section(report, result)
        #expect(try ReportChecks.provenance(report)["reproduce"]?.hasSuffix(" --proc-dumps") == true)
    }

    private func storedFiles(under root: String) -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: root)
        var files: [String] = []
        while let entry = enumerator?.nextObject() as? String {
            if entry.hasSuffix(".json") { files.append(entry) }
        }
        return files
    }
}
