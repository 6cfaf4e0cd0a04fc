import BuddyCore
import BuddyOracle
import Testing

/// The direct compaction command and the `compaction` / `skip` state records (PROTOCOL.md,
/// "compaction"): parsed exactly, imported with state 0, and compared after every command —
/// a kernel whose `compact_considered` or PB_migrate_skip differs from the simulator's is a
/// mismatch.
@Suite struct OracleCompactionRecordTests {
    static let record = "compaction Normal migrate_async=0x0 migrate_sync=0x0 free=0xe00 init_migrate=0x0 init_free=0xe00 considered=0 defer_shift=0 order_failed=0 flush=0"

    @Test func commandRoundTrips() throws {
        let c = try OracleCommand.parse("compact 9 movable sync_light")
        #expect(c == .compactOrder(order: 9, type: .movable, priority: .syncLight))
        #expect(c.text == "compact 9 movable sync_light" && c.issuesHandle)
        #expect(try OracleCommand.parse("compact") == .compact)
        #expect(throws: OracleParseProblem.self) { try OracleCommand.parse("compact 0 movable async") }
        #expect(throws: OracleParseProblem.self) { try OracleCommand.parse("compact 9 movable fast") }
        #expect(throws: OracleParseProblem.self) { try OracleCommand.parse("compact 9") }
        #expect(OracleResult.resultName(.partialSkipped) == "partial_skipped")
        #expect(try OracleCommand.parse("kcompactd 9") == .kcompactd(order: 9))
        #expect(try OracleCommand.parse("proactive 90") == .proactive(proactiveness: 90))
        #expect(OracleCommand.kcompactd(order: 9).text == "kcompactd 9" && !OracleCommand.kcompactd(order: 9).issuesHandle)
        #expect(throws: OracleParseProblem.self) { try OracleCommand.parse("kcompactd 0") }
        #expect(throws: OracleParseProblem.self) { try OracleCommand.parse("proactive 101") }
    }

    /// The synthetic log with `compaction` and `skip` records in states 0 and 1 (`state1` for the latter).
    func log(state1 compaction: String = record, skip: String = "skip Normal 0x0 00000000",
             result: String? = nil) throws -> OracleLog {
        var lines = try Fixture.text("synthetic-6.1.log").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if let result { lines[16] = result }
        let ends = lines.indices.filter { lines[$0] == "end" }
        lines.insert(contentsOf: [compaction, skip], at: ends[1])
        lines.insert(contentsOf: [Self.record, "skip Normal 0x0 00000000"], at: ends[0])
        return try OracleLogParser.parse(lines.joined(separator: "\n"), file: "x.log")
    }

    @Test func recordsParseAndImport() throws {
        let l = try log()
        let c = try #require(l.initial.compaction.first)
        #expect(c.zone == 0 && c.fields?.cachedFreePfn == 0xe00 && c.skip.count == 8 && c.skip.allSatisfy { $0 == false })
        let o = Lockstep.run(log: l, variant: try Fixture.variant("linux-6.1"))
        #expect(o.commandsCompared > 1)
        #expect(o.mismatch == nil, "\(o.mismatch.map(LockstepText.mismatch) ?? "")")
    }

    @Test func aDifferentDeferralIsAMismatch() throws {
        let l = try log(state1: Self.record.replacingOccurrences(of: "considered=0", with: "considered=1"))
        let m = try #require(Lockstep.run(log: l, variant: try Fixture.variant("linux-6.1")).mismatch)
        #expect(m.step == 1 && m.differences.contains { $0.kind == .compaction && $0.kernel.contains("considered 1") })
    }

    @Test func aDifferentSkipBitIsAMismatch() throws {
        let l = try log(skip: "skip Normal 0x0 00010000")
        let m = try #require(Lockstep.run(log: l, variant: try Fixture.variant("linux-6.1")).mismatch)
        #expect(m.step == 1 && m.differences.contains { $0.kind == .compaction && $0.pfn == 0x600 && $0.kernel == "skip" })
    }

    @Test func badRecordsNameTheirColumn() throws {
        do { _ = try log(skip: "skip Normal 0x0 00200000"); Issue.record("accepted a skip bit '2'") } catch let error as OracleLogError {
            #expect(error.message.contains("skip bit '2' at position 2") && error.column == 19)
        }
        do { _ = try log(state1: "compaction Normal migrate_async=0x0"); Issue.record("accepted a short compaction record") } catch let error as OracleLogError {
            #expect(error.message.contains("'compaction' needs"))
        }
        // A compact ORDER result that is an enum compact_result name parses; an unknown one does not.
        let ok = try log(result: "result 1 partial_skipped")
        #expect(ok.steps[0].result.status == "partial_skipped")
        do { _ = try log(result: "result 1 half_done"); Issue.record("accepted 'half_done'") } catch let error as OracleLogError {
            #expect(error.message.contains("unknown result 'half_done'"))
        }
    }
}
