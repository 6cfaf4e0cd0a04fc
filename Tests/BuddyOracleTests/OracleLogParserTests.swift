import BuddyCore
import BuddyOracle
import Testing

/// The log parser on the protocol's format (scripts/oracle/PROTOCOL.md, version 1): values land
/// where the protocol says, and every deviation is refused with its line.
@Suite struct OracleLogParserTests {
    @Test func syntheticLogParsesToItsRecords() throws {
        let log = try Fixture.log("synthetic-6.1.log")
        #expect(log.kernel == "6.1.192")
        #expect(log.geometry == Geometry(pageShift: 12, maxOrder: 10, pageblockOrder: 9))
        #expect(log.watermarks == ZoneWatermarks(min: 16, low: 20, high: 24, boost: 0))
        #expect(log.cma == nil)
        let s0 = log.initial.snapshot
        #expect(s0.spanned == 4096 && s0.managed == 4000 && s0.nrFreePages == 2569)
        #expect(s0.nrFree == [1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 2])
        #expect(s0.freeLists[10][Int(MigrateType.movable.rawValue)] == [0x800, 0xc00])
        #expect(s0.pageblocks.map(\.mapCharacter) == Array("UMMMMMMM"))
        #expect(log.initial.pcp.isEmpty)                 // "pcp Normal 0 0 movable" lists nothing
        #expect(log.steps.count == 13)
        #expect(log.steps[3].command == .contig(pfn: 0x800, pages: 512))
        #expect(log.steps[3].result == OracleResult("ok", handle: 2, pfn: 0x800))
        #expect(log.steps[11].result == OracleResult("einval"))
        #expect(log.steps[9].state.foreign == [ForeignEvent(isAlloc: false, pfn: 0x100, order: 2, type: .unmovable)])
        #expect(log.steps[4].state.snapshot.freeLists[9][Int(MigrateType.isolate.rawValue)] == [0xa00])
    }

    /// Replaces line `n` (1-based) of the synthetic log and returns the parse error.
    func error(replacing n: Int, with line: String?) throws -> OracleLogError? {
        var lines = try Fixture.text("synthetic-6.1.log").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if let line { lines[n - 1] = line } else { lines.remove(at: n - 1) }
        do { _ = try OracleLogParser.parse(lines.joined(separator: "\n"), file: "x.log"); return nil }
        catch { return error }
    }

    @Test func errorsNameTheLine() throws {
        let unknown = try error(replacing: 12, with: "frees Normal 9 movable 0x600")
        #expect(unknown?.line == 12 && unknown?.message.contains("unknown record 'frees'") == true)
        let badChar = try error(replacing: 9, with: "pageblocks Normal 0x0 UMMXMMMM")
        #expect(badChar?.line == 9 && badChar?.message.contains("'X' at position 3") == true)
        let badList = try error(replacing: 13, with: "free Normal 10 moveable 0x800")
        #expect(badList?.line == 13 && badList?.message.contains("unknown list 'moveable'") == true)
        let shortNrFree = try error(replacing: 8, with: "nr_free Normal 1 0 0 1")
        #expect(shortNrFree?.line == 8 && shortNrFree?.message.contains("needs 11 counts") == true)
        let wrongNumber = try error(replacing: 16, with: "cmd 2 alloc 0 movable")
        #expect(wrongNumber?.line == 16 && wrongNumber?.message.contains("expected command number 1") == true)
        let badCommand = try error(replacing: 16, with: "cmd 1 alloc 0 moveable")
        #expect(badCommand?.line == 16 && badCommand?.message.contains("unknown allocation type") == true)
        let badResult = try error(replacing: 17, with: "result 1 okay")
        #expect(badResult?.line == 17 && badResult?.message.contains("unknown result 'okay'") == true)
        let version = try error(replacing: 1, with: "buddylab-oracle 3")
        #expect(version?.line == 1)
        // Issue 19: every error has a column — the offending token, else the record's first.
        #expect(unknown?.column == 1)
        #expect(badChar?.column == 26)  // the 'X' itself: "pageblocks Normal 0x0 UMM|X"
        #expect(badList?.column == 16)
        #expect(shortNrFree?.column == 1)
        #expect(badCommand?.column == 15)
        #expect(badResult?.column == 10)
        let huge = try error(replacing: 13, with: "free Normal 10 movable 0x7fffffffffffffff")
        #expect(huge?.line == 13 && huge?.column == 24)
        #expect(huge?.message == "pfn=0x7fffffffffffffff is out of range (0…2^52-1)")
    }

    @Test func incompleteLogIsRefused() throws {
        let text = try Fixture.text("synthetic-6.1.log")
        let cut = String(text[..<(text.range(of: "done")?.lowerBound ?? text.endIndex)])
        #expect(throws: OracleLogError.self) { try OracleLogParser.parse(cut, file: "cut.log") }
        do { _ = try OracleLogParser.parse(cut, file: "cut.log") } catch {
            #expect(error.message.contains("without 'done'"))
        }
    }

    @Test func commandTextRoundTrips() throws {
        let commands: [OracleCommand] = [.alloc(order: 3, type: .reclaimable), .free(handle: 12), .contig(pfn: 0x1200, pages: 512),
                                         .isolate(pfn: 0x400, pages: 1024, offline: true), .unisolate(pfn: 0x400, pages: 1024),
                                         .cmaAlloc(count: 64, alignOrder: 3), .drain, .watermark(mark: 2, order: 9)]
        for c in commands { #expect(try OracleCommand.parse(Substring(c.text)) == c) }
        #expect(commands[3].text == "isolate 0x400 1024 offline")
    }
}
