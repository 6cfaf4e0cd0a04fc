import BuddyBounds
import Foundation
import Testing
@testable import BuddyTrace

/// Issue 25's faster parse: plain numbers read without `BoundedNumber` (anything else still goes
/// through it, with its messages), and the NUL/CR check made once per chunk instead of per line
/// — the same records and the same file:line:column errors as before.
@Suite struct FastScanTests {
    func plain(_ text: String, max: Int = InputBounds.pfnLimit - 1) -> Int? {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { b in
            TraceLineParser.plainNumber(UnsafeBufferPointer(b), 0, b.count, max: max)
        }
    }

    @Test func plainNumbers() {
        #expect(plain("0x2ba220") == 0x2ba220)
        #expect(plain("0X1f") == 31)
        #expect(plain("1234") == 1234)
        #expect(plain("0") == 0)
        #expect(plain("0xfffffffffffff") == (1 << 52) - 1)  // 13 hex digits: the largest pfn
        #expect(plain("15", max: 15) == 15)
    }

    /// Texts the fast reader leaves to `BoundedNumber` (nil here).
    @Test func otherTextsFallBack() {
        for text in ["", "0x", "+5", "-1", "12a", "0x12g", "16", "0x10000000000000", "1234567890123456", " 1"] {
            #expect(plain(text, max: text == "16" ? 15 : InputBounds.pfnLimit - 1) == nil, "\(text)")
        }
    }

    static let prefix = "  bash-1 [002] d..2.   1.000001: mm_page_alloc: "

    /// 1-based column of `needle`'s end in the line made of `fields` (where its value starts).
    func column(after needle: String, in fields: String) -> Int {
        Self.prefix.utf8.count + fields.utf8.distance(from: fields.startIndex, to: fields.range(of: needle)!.upperBound) + 1
    }

    /// The eight-bytes-at-a-time search: every position of the first hit, either byte, none.
    @Test func firstOfFindsTheFirstByte() {
        for length in 0...20 {
            for at in 0...length {
                var bytes = [UInt8](repeating: UInt8(ascii: "x"), count: length)
                if at < length { bytes[at] = at % 2 == 0 ? 0x3D : 0x20 }
                if at + 1 < length { bytes[at + 1] = 0x20 }  // a later hit does not count
                let found = bytes.withUnsafeBufferPointer { TraceLineParser.firstOf($0, from: 0, 0x3D, 0x20) }
                #expect(found == at, "length \(length), hit at \(at)")
                let fromOne = bytes.withUnsafeBufferPointer { TraceLineParser.firstOf($0, from: min(1, length), 0x3D, 0x20) }
                #expect(fromOne == (at >= 1 ? at : (length > 1 && at + 1 < length ? 1 : length)), "from 1, length \(length), hit at \(at)")
            }
        }
        // Bytes 0x3C/0x3E and 0xBD (0x3D | 0x80) are not hits.
        let near: [UInt8] = [0x3C, 0x3E, 0xBD, 0xA0, 0x21, 0x1F, 0x3C, 0x3E, 0xBD, 0x3D]
        #expect(near.withUnsafeBufferPointer { TraceLineParser.firstOf($0, from: 0, 0x3D, 0x20) } == 9)
    }

    @Test func upperBoundsAreTheDomains() {
        for raw in 0...FieldValues.Key.changeOwnership.rawValue {
            let key = FieldValues.Key(rawValue: raw)!
            #expect(key.upperBound == key.domain.range.upperBound, "\(key.name)")
            #expect(key.domain.range.lowerBound == 0)
        }
    }

    func record(_ fields: String) throws -> TraceRecord? {
        let line = Self.prefix + fields
        if case .event(let r) = try TraceLineParser(file: "f.txt").parse(line, number: 4) { return r }
        return nil
    }

    /// What `BoundedNumber` accepts beyond plain digits still reads the same values.
    @Test func fallbackValues() throws {
        let r = try #require(try record("page=0000000000000000 pfn=+5 order=00000000000000001 migratetype=0x1 gfp_flags=GFP_KERNEL"))
        #expect(r.pfn == -1)  // NULL page
        #expect(r.order == 1 && r.migratetype == 1 && r.cpu == 2 && r.line == 4)
        let f = "page=00000000deadbeef pfn=1048577 order=3 migratetype=2"
        let s = try #require(try record(f))
        #expect(s.pfn == 1_048_577 && s.order == 3 && s.migratetype == 2)
        #expect(s.orderColumn == 89 && s.orderColumn == column(after: " order=", in: f))
        #expect(s.migratetypeColumn == 103 && s.migratetypeColumn == column(after: "migratetype=", in: f))
    }

    /// Out of range: the general reader's message at the value's column.
    @Test func outOfRangeStillLocated() throws {
        let f = "page=00000000deadbeef pfn=0x10 order=16 migratetype=1"
        #expect(column(after: "order=", in: f) == 86)
        do {
            _ = try record(f)
            Issue.record("expected an error")
        } catch let e as TraceError {
            #expect(e.description == "f.txt:4:86: mm_page_alloc: order=16 is out of range (0…15)")
        }
    }

    /// 2,000 lines of 100 bytes (two reads of the in-memory source): a NUL on line 1,900 and a
    /// CR inside line 1,950 are found at their columns; CRLF line ends before them are not errors.
    func firstError(_ mutate: (inout [UInt8]) -> Void) -> (String?, Int) {
        var bytes: [UInt8] = []
        for k in 1...2000 {
            var line = Array(String(format: "%05d", k).utf8) + Array(repeating: UInt8(ascii: "x"), count: 93)
            line += k <= 10 ? [0x0D, 0x0A] : [0x0A]
            bytes += line
        }
        mutate(&bytes)
        var seen = 0
        do {
            try LineReader(name: "m.txt", bytes: bytes).forEachLine { line, _ in
                #expect(line.count == 98)
                seen += 1
            }
            return (nil, seen)
        } catch { return ("\(error)", seen) }
    }

    @Test func nulAndCRFoundPerChunk() {
        #expect(firstError { _ in } == (nil, 2000))
        // Line k (k > 10) starts at 10 * 100 + (k - 11) * 99.
        func at(_ line: Int, _ column: Int) -> Int { 1000 + (line - 11) * 99 + column - 1 }
        #expect(firstError { $0[at(1900, 7)] = 0 } == ("m.txt:1900:7: NUL byte in the text (a binary file or NUL-separated records?)", 1899))
        #expect(firstError { $0[at(1950, 40)] = 0x0D } == ("m.txt:1950:40: carriage return inside a line (CR-only line ends?)", 1949))
        // Two: the first is reported.
        #expect(firstError { $0[at(1950, 40)] = 0x0D; $0[at(1300, 2)] = 0 }.0 == "m.txt:1300:2: NUL byte in the text (a binary file or NUL-separated records?)")
        // A CR inside line 5 of the CRLF head.
        #expect(firstError { $0[(5 - 1) * 100 + 8] = 0x0D }.0 == "m.txt:5:9: carriage return inside a line (CR-only line ends?)")
    }
}
