import Foundation
import Testing
@testable import BuddyTrace

/// Malformed lines give `file:line:column` errors; each line of `malformed.txt` is parsed alone.
@Suite struct TraceErrorTests {
    func lineError(_ number: Int) throws -> TraceError? {
        let text = try String(contentsOfFile: Fixture.path("malformed.txt"), encoding: .utf8)
        let line = text.split(separator: "\n", omittingEmptySubsequences: false)[number - 1]
        do {
            _ = try TraceLineParser(file: "malformed.txt").parse(String(line), number: number)
            return nil
        } catch { return error }
    }

    func column(of needle: String, inLine number: Int) throws -> Int {
        let text = try String(contentsOfFile: Fixture.path("malformed.txt"), encoding: .utf8)
        let line = String(text.split(separator: "\n", omittingEmptySubsequences: false)[number - 1])
        let r = try #require(line.range(of: needle))
        return line.utf8.distance(from: line.startIndex, to: r.lowerBound) + 1
    }

    @Test func wellFormedLineParses() throws { #expect(try lineError(1) == nil) }

    @Test func notATraceLine() throws {
        #expect(try lineError(2)?.description == "malformed.txt:2:1: not a trace event line: no [CPU] field")
    }

    @Test func badNumber() throws {
        let col = try column(of: "0x2ba22g", inLine: 3)
        #expect(try lineError(3)?.description == "malformed.txt:3:\(col): mm_page_alloc: pfn='0x2ba22g' is not a number")
    }

    @Test func missingField() throws {
        let col = try column(of: " page=", inLine: 4)
        #expect(try lineError(4)?.description == "malformed.txt:4:\(col): mm_page_free without order=")
    }

    @Test func keyWithoutValue() throws {
        let col = try column(of: "migratetype", inLine: 5)
        #expect(try lineError(5)?.description == "malformed.txt:5:\(col): mm_page_alloc: expected key=value, found 'migratetype'")
    }

    @Test func noTimestampColon() throws {
        #expect(try lineError(6)?.message == "not a trace event line: no 'TIMESTAMP: EVENT:'")
    }

    @Test func freeOfNullPage() throws {
        #expect(try lineError(7)?.message == "mm_page_free of a NULL page")
    }

    /// Reading the whole file stops at the first bad line, and says where.
    @Test func streamStopsAtFirstError() throws {
        var seen = 0
        do {
            try TraceReader.forEachRecord(path: Fixture.path("malformed.txt"), displayPath: "traces/m.txt") { _ in seen += 1 }
            Issue.record("expected an error")
        } catch let e as TraceError {
            #expect(e.file == "traces/m.txt" && e.line == 2 && seen == 1)
        }
    }
}
