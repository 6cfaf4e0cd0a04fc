import BuddyResults
import Foundation
import Testing

/// Issue 12, defect 7 (store): a record of a newer schema, with a duplicate JSON key or with an
/// impossible value is refused by name — a warning naming the file and the reason — and left
/// out of the report, instead of being read silently.
@Suite struct StoreRecordChecksTests {
    /// Runs the tiny experiment, then rewrites one stored record with `edit` and re-renders.
    private func reportAfterEditing(_ edit: (String) -> String) throws -> (CommandResult, String, Int) {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.commit("tiny.yaml", TinyExperiment.yaml(), message: "add the e2e experiment")
        try ws.run("tiny.yaml", json: "run.json")
        let (records, _) = ResultStore(root: ws.results).records(experiment: TinyExperiment.name)
        let victim = try #require(records.first { $0.run.variant == "zi-yan-v11" && $0.run.seed == 2 })
        let path = ResultStore(root: ws.results).directory(for: victim) + "/seed-2.json"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let edited = edit(text)
        #expect(edited != text, "the edit changed nothing")
        try Data(edited.utf8).write(to: URL(fileURLWithPath: path))
        let report = buddylab(["report", TinyExperiment.name, "--results", ws.results, "--repo", ws.repo])
        let (after, _) = ResultStore(root: ws.results).records(experiment: TinyExperiment.name)
        return (report, path, records.count - after.count)
    }

    @Test func newerSchemaIsRefusedByName() throws {
        let (r, path, dropped) = try reportAfterEditing { $0.replacingOccurrences(of: "\"schema\" : 1", with: "\"schema\" : 2") }
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("buddylab: warning: \(path): refused record: record schema 2 is newer than this "
                                  + "buddylab reads (schema 1); use a newer buddylab\n"), "\(r.stderr)")
        #expect(dropped == 1)
    }

    @Test func duplicateKeyIsRefused() throws {
        let (r, path, dropped) = try reportAfterEditing {
            $0.replacingOccurrences(of: "\"events\" : ", with: "\"events\" : 1,\n      \"events\" : ")
        }
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("buddylab: warning: \(path): refused record: duplicate JSON key 'events' in run.metrics\n"),
                "\(r.stderr)")
        #expect(dropped == 1)
    }

    @Test func impossibleCounterIsRefused() throws {
        let (r, path, dropped) = try reportAfterEditing { text in
            text.replacingOccurrences(of: #""events" : \d+"#, with: "\"events\" : \(Int64.min)", options: .regularExpression)
        }
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("buddylab: warning: \(path): refused record: run.metrics.events: "
                                  + "-9223372036854775808 is out of range (|value| ≤ 2^53)\n"), "\(r.stderr)")
        #expect(dropped == 1)
        // The report's mean for zi-yan-v11 comes from the two records left, not the bad one.
        #expect(!r.stdout.contains("9223372036854775808"))
    }

    @Test func negativeCountIsRefused() throws {
        let (r, path, _) = try reportAfterEditing { text in
            text.replacingOccurrences(of: #""allocs" : \d+"#, with: "\"allocs\" : -5", options: .regularExpression)
        }
        #expect(r.stderr.contains("\(path): refused record: run.metrics.allocs: -5 is negative (it counts something)"),
                "\(r.stderr)")
    }
}
