import BuddyResults
import Foundation
import Testing

/// `buddylab merge`: the union of stores; duplicates (equal apart from timing) kept once,
/// records claiming one identity with different results reported as conflicts.
@Suite struct MergeTests {
    @Test func unionOfDisjointStoresAndDuplicatesOnce() throws {
        let a = ResultStore(root: try Fixtures.scratchDirectory())
        let b = ResultStore(root: try Fixtures.scratchDirectory())
        let target = ResultStore(root: try Fixtures.scratchDirectory() + "/merged")
        let c = Fixtures.commit(1)
        try a.write(Fixtures.record(commit: c, seed: 1, timing: 1.5))
        try a.write(Fixtures.record(commit: c, seed: 2))
        try b.write(Fixtures.record(commit: c, seed: 3))
        // The same run again in b, different wall time and stored_at: a duplicate, not a conflict.
        try b.write(Fixtures.record(commit: c, seed: 1, timing: 9.0, storedAt: "2025-01-01T00:00:00Z"))
        let plan = ResultStore.planMerge(sources: [a, b], into: target)
        #expect(plan.conflicts.isEmpty)
        #expect(plan.duplicates == 1)
        #expect(plan.toWrite.map(\.run.seed) == [1, 2, 3])
        #expect(plan.toWrite[0].run.timing == ["wall_seconds": 1.5])   // first store wins
        for r in plan.toWrite { try target.write(r) }
        // Merging again adds nothing: everything is already in the target.
        let again = ResultStore.planMerge(sources: [a, b], into: target)
        #expect(again.toWrite.isEmpty && again.duplicates == 4 && again.conflicts.isEmpty)
    }

    @Test func differingResultsForOneRunAreAConflictNamingTheRecord() throws {
        let a = ResultStore(root: try Fixtures.scratchDirectory())
        let b = ResultStore(root: try Fixtures.scratchDirectory())
        let c = Fixtures.commit(2)
        try a.write(Fixtures.record(commit: c, variant: "linux-5.19", seed: 4, metrics: ["contig_successes": 10]))
        try b.write(Fixtures.record(commit: c, variant: "linux-5.19", seed: 4, metrics: ["contig_successes": 11]))
        let plan = ResultStore.planMerge(sources: [a, b], into: ResultStore(root: try Fixtures.scratchDirectory()))
        #expect(plan.conflicts == [ResultStore.MergeConflict(
            record: "neighbour-unmovable/\(Fixtures.experimentSHA.prefix(12))/\(c.prefix(12))/linux-5.19/seed-4",
            first: a.root, second: b.root)])
    }

    /// Records of different sweep points are different runs, not duplicates or conflicts.
    @Test func sweepPointsAreSeparateIdentities() throws {
        let a = ResultStore(root: try Fixtures.scratchDirectory())
        var r0 = Fixtures.record(commit: Fixtures.commit(3), metrics: ["contig_successes": 1])
        var r1 = Fixtures.record(commit: Fixtures.commit(3), metrics: ["contig_successes": 2])
        r0.run.point = RunPoint(index: 0, parameters: ["fill"], values: ["fill": "20%"])
        r1.run.point = RunPoint(index: 1, parameters: ["fill"], values: ["fill": "40%"])
        try a.write(r0)
        try a.write(r1)
        #expect(ResultStore.relativeDirectory(for: r1).hasSuffix("/linux-5.18/point-1"))
        let (records, problems) = a.records()
        #expect(problems.isEmpty && records.count == 2)
        #expect(records.map(\.run.point?.label) == ["fill=20%", "fill=40%"])
        let plan = ResultStore.planMerge(sources: [a], into: ResultStore(root: try Fixtures.scratchDirectory()))
        #expect(plan.toWrite.count == 2 && plan.conflicts.isEmpty)
    }
}
