import BuddyResults
import Foundation
import Testing

@Suite("ResultJSON")
struct ResultJSONTests {
    @Test func equalValuesGiveIdenticalBytes() throws {
        let record = Fixtures.record(commit: Fixtures.commit(1),
                                     metrics: ["zeta": 1, "alpha": 2, "mid": 3, "contig_successes": 4])
        let first = try ResultJSON.encode(record)
        let second = try ResultJSON.encode(Fixtures.record(commit: Fixtures.commit(1),
                                                           metrics: ["contig_successes": 4, "mid": 3, "alpha": 2, "zeta": 1]))
        #expect(first == second)
        let text = String(decoding: first, as: UTF8.self)
        #expect(text.hasSuffix("}\n"))
        #expect(text.contains("\"experiments/neighbour-unmovable.yaml\""), "slashes are not escaped")
        let alpha = try #require(text.range(of: "\"alpha\""))
        let zeta = try #require(text.range(of: "\"zeta\""))
        #expect(alpha.lowerBound < zeta.lowerBound, "keys are sorted")
        #expect(text.contains("\"revision\" : {"), "pretty printed")
        #expect(try ResultJSON.decode(StoredRecord.self, from: first) == record)
    }

    /// The contract's revision object has every field: a clean tree's diff hash and a detached
    /// HEAD's branch are `null`, not missing.
    @Test func absentRevisionFieldsAreNull() throws {
        let revision = RevisionInfo(commit: String(repeating: "a", count: 40), short: String(repeating: "a", count: 12),
                                    branch: nil, describe: "aaaaaaa", dirty: false, dirtyDiffSHA256: nil,
                                    commitTime: "2026-11-22T00:00:00+00:00", summary: nil)
        let text = String(decoding: try ResultJSON.encode(revision), as: UTF8.self)
        #expect(text.contains("\"branch\" : null"))
        #expect(text.contains("\"dirty_diff_sha256\" : null"))
        #expect(text.contains("\"summary\" : null"))
        #expect(try ResultJSON.decode(RevisionInfo.self, from: Data(text.utf8)) == revision)
    }

    @Test func missingRevisionIsWrittenAsNull() throws {
        let text = String(decoding: try ResultJSON.encode(Fixtures.record(commit: nil)), as: UTF8.self)
        #expect(text.contains("\"revision\" : null"))
        #expect(text.contains("\"revision_note\" : \"not a git repository\""))
    }
}
