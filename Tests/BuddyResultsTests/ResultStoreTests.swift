import BuddyResults
import Foundation
import Testing

@Suite("ResultStore: layout, writes, reads")
struct ResultStoreTests {
    @Test func roundTripAndLayout() throws {
        let root = try Fixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let store = ResultStore(root: root + "/results/")
        #expect(store.root == root + "/results")
        #expect(ResultStore(repositoryRoot: "/repo").root == "/repo/results")

        let clean = Fixtures.record(commit: Fixtures.commit(1), seed: 3)
        let dirty = Fixtures.record(commit: Fixtures.commit(1), seed: 3, dirty: true, allowDirty: true)
        let norev = Fixtures.record(commit: nil, variant: "minchan-2012", seed: 7)
        for record in [clean, dirty, norev] {
            let result = try store.write(record)
            #expect(result.created && result.sequence == 0)
        }
        let sha12 = String(Fixtures.experimentSHA.prefix(12))
        let commit12 = String(Fixtures.commit(1).prefix(12))
        #expect(Fixtures.files(under: store.root) == [
            "neighbour-unmovable/\(sha12)/\(commit12)-dirty-dddddddd/linux-5.18/seed-3.json",
            "neighbour-unmovable/\(sha12)/\(commit12)/linux-5.18/seed-3.json",
            "neighbour-unmovable/\(sha12)/norev/minchan-2012/seed-7.json",
        ])
        let (records, problems) = store.records()
        #expect(problems.isEmpty)
        #expect(Set(records.map(\.run.variant)) == ["linux-5.18", "minchan-2012"])
        #expect(records.count == 3)
        #expect(records.contains(clean) && records.contains(dirty) && records.contains(norev))
        #expect(store.records(experiment: "other").records.isEmpty)
        #expect(ResultStore(root: root + "/absent").records() == ([], []))
    }

    @Test func neverOverwrites() throws {
        let root = try Fixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let store = ResultStore(root: root)
        let original = Fixtures.record(commit: Fixtures.commit(2), timing: 1.5)
        let first = try store.write(original)
        #expect(first.created)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: first.path))

        let again = try store.write(original)
        #expect(!again.created && again.path == first.path, "an identical record is a no-op")
        let restamped = try store.write(Fixtures.record(commit: Fixtures.commit(2), timing: 1.5,
                                                        storedAt: "2025-01-01T00:00:00Z"))
        #expect(!restamped.created, "stored_at alone does not make a new record")

        let rerun = try store.write(Fixtures.record(commit: Fixtures.commit(2), timing: 2.25))
        #expect(rerun.created && rerun.sequence == 1 && rerun.path.hasSuffix("/seed-1.1.json"))
        let third = try store.write(Fixtures.record(commit: Fixtures.commit(2), timing: 3.0))
        #expect(third.sequence == 2)
        #expect(try store.write(Fixtures.record(commit: Fixtures.commit(2), timing: 2.25)).path == rerun.path)

        #expect(try Data(contentsOf: URL(fileURLWithPath: first.path)) == bytes, "the original is untouched")
        let timings = store.records().records.compactMap { $0.run.timing?["wall_seconds"] }
        #expect(timings == [1.5, 2.25, 3.0], "ordered by sequence")
        #expect(!Fixtures.files(under: root).contains { $0.contains(".tmp-") }, "no temporary files left")
    }

    @Test func badFilesAreReportedNotFatal() throws {
        let root = try Fixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let store = ResultStore(root: root)
        let good = try store.write(Fixtures.record(commit: Fixtures.commit(3), seed: 1))
        let directory = (good.path as NSString).deletingLastPathComponent
        try Data("{ \"schema\": 1, \"revision\": ".utf8).write(to: URL(fileURLWithPath: directory + "/seed-2.json"))
        try Data("notes".utf8).write(to: URL(fileURLWithPath: directory + "/README.txt"))
        try Data("{}".utf8).write(to: URL(fileURLWithPath: directory + "/.seed-4.json.tmp-1-ff"))
        let misplaced = try ResultJSON.encode(Fixtures.record(commit: Fixtures.commit(3), seed: 9))
        try misplaced.write(to: URL(fileURLWithPath: directory + "/seed-5.json"))
        try FileManager.default.createDirectory(atPath: directory + "/deeper", withIntermediateDirectories: true)
        try misplaced.write(to: URL(fileURLWithPath: directory + "/deeper/seed-9.json"))

        let (records, problems) = store.records()
        #expect(records.map(\.run.seed) == [1])
        #expect(problems.map { ($0.path as NSString).lastPathComponent }
                == [".seed-4.json.tmp-1-ff", "README.txt", "deeper", "seed-2.json", "seed-5.json"])
        let reasons = problems.map(\.reason)
        #expect(reasons[0].hasPrefix("temporary file"))
        #expect(reasons[1].hasPrefix("foreign file"))
        #expect(reasons[2] == "directory nested deeper than the store layout")
        #expect(reasons[3].hasPrefix("corrupt record"))
        #expect(reasons[4].hasPrefix("misplaced record") && reasons[4].hasSuffix("/seed-9.json"))
    }

    @Test func deterministicOrderAndFilters() throws {
        let root = try Fixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let store = ResultStore(root: root)
        for seed: UInt64 in [10, 2, 1] {
            for variant in ["b-variant", "a-variant"] {
                try store.write(Fixtures.record(commit: Fixtures.commit(4), variant: variant, seed: seed))
                try store.write(Fixtures.record(commit: Fixtures.commit(5), variant: variant, seed: seed))
            }
        }
        try store.write(Fixtures.record(commit: Fixtures.commit(4), seed: 1, experiment: "other-exp"))
        let records = store.records().records
        #expect(records.count == 13)
        let a4 = records.matching(commit: Fixtures.commit(4)).matching(variant: "a-variant")
        #expect(a4.map(\.run.seed) == [1, 2, 10])
        #expect(records.matching(commit: String(Fixtures.commit(5).prefix(12))).count == 6)
        #expect(records.matching(experiment: "other-exp").count == 1)
        #expect(store.records(experiment: "other-exp").records.count == 1)
        #expect(records.commitIds() == [Fixtures.commit(4), Fixtures.commit(5)])
        #expect(store.records().records == records, "same order every time")
    }

    @Test func baselineEligibility() {
        #expect(Fixtures.record(commit: Fixtures.commit(1)).isBaselineEligible)
        #expect(!Fixtures.record(commit: Fixtures.commit(1), dirty: true).isBaselineEligible)
        #expect(Fixtures.record(commit: Fixtures.commit(1), dirty: true, allowDirty: true).isBaselineEligible)
        #expect(!Fixtures.record(commit: nil).isBaselineEligible)
        #expect(Fixtures.record(commit: Fixtures.commit(1), dirty: true).isDirty)
    }

    @Test func unsafeNamesStayInsideTheStore() throws {
        let root = try Fixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let store = ResultStore(root: root)
        let result = try store.write(Fixtures.record(commit: Fixtures.commit(1), variant: "../../escape",
                                                     experiment: ".."))
        #expect(result.path.hasPrefix(root + "/"))
        #expect(!result.path.contains("/../"))
        #expect(store.records().problems.isEmpty)
        #expect(store.records().records.count == 1)
    }
}
