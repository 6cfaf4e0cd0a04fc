@testable import BuddyResults
import Foundation
import Testing

/// Issue 12, defect 7: the duplicate-key scanner and the value checks behind the store's
/// "refused record" problems.
@Suite struct RecordChecksTests {
    private func duplicate(_ json: String) -> String? { JSONDuplicateKeys.first(in: Data(json.utf8)) }

    @Test func findsDuplicatesWhereverTheyAre() {
        #expect(duplicate(#"{"a": 1, "a": 2}"#) == "'a'")
        #expect(duplicate(#"{"run": {"metrics": {"events": 1, "x": 0, "events": 2}}}"#) == "'events' in run.metrics")
        #expect(duplicate(#"{"run": {"ops": [{"index": 0}, {"index": 1, "index": 2}]}}"#) == "'index' in run.ops[]")
    }

    /// Strings may hold quotes, braces, colons and commas; the same key in sibling objects, or
    /// a key equal to a value, is not a duplicate.
    @Test func noFalseAlarms() {
        #expect(duplicate(#"{"a": "x\"y{}:,", "b": "a", "c": {"a": 1}, "d": [{"a": 1}, {"a": 2}]}"#) == nil)
        #expect(duplicate(#"{"a\"b": 1, "a\"c": 2}"#) == nil)
        #expect(duplicate(#"[1, 2, {"k": [true, null, -1.5e3]}]"#) == nil)
        // Malformed input is left to the decoder.
        #expect(duplicate(#"{"a": 1, "b""#) == nil)
        #expect(duplicate(#"{"a": [1, {"b": 2}"#) == nil)
    }

    @Test func schemaIsNamed() {
        #expect(RecordChecks.problemBeforeDecoding(Data(#"{"schema": 2}"#.utf8))
                == "record schema 2 is newer than this buddylab reads (schema 1); use a newer buddylab")
        #expect(RecordChecks.problemBeforeDecoding(Data(#"{"schema": 0}"#.utf8))
                == "unknown record schema 0 (this buddylab reads schema 1)")
        #expect(RecordChecks.problemBeforeDecoding(Data(#"{"schema": 1}"#.utf8)) == nil)
    }

    /// Signed metrics may be negative (a drifting counter); counts may not; nothing beyond 2^53.
    @Test func valueRanges() {
        var record = Fixtures.record(commit: nil, metrics: [:])
        record.run.metrics = ["nr_free_pages_drift": -512, "nr_free_pages": -3, "largest_free_order": -1,
                              "misplaced_free_pages": 7]
        #expect(RecordChecks.problem(in: record) == nil)
        record.run.metrics = ["frees": -1]
        #expect(RecordChecks.problem(in: record) == "run.metrics.frees: -1 is negative (it counts something)")
        record.run.metrics = ["nr_free_pages_drift": 1 << 54]
        #expect(RecordChecks.problem(in: record) == "run.metrics.nr_free_pages_drift: 18014398509481984 is out of range (|value| ≤ 2^53)")
        record.run.metrics = ["unusable_free_index": 1001]
        #expect(RecordChecks.problem(in: record) == "run.metrics.unusable_free_index: 1001 exceeds 1000 (the index is ×1000)")
        record.run.metrics = [:]
        record.run.faults = [FaultRecord(event: -4, kind: "invalid-pfn", detail: "")]
        #expect(RecordChecks.problem(in: record) == "run.faults: event -4 is negative")
    }
}
