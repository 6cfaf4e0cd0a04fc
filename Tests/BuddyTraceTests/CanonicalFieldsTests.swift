import Testing
@testable import BuddyTrace

/// Issue 25: `mm_page_alloc`/`mm_page_free` lines printed as their `TP_printk` prints them
/// (include/trace/events/kmem.h) are read by `canonicalFields` without the general key loop; every
/// other line is left to the loop. Whatever the path, the record is the same.
@Suite struct CanonicalFieldsTests {
    /// Field texts after `mm_page_alloc:` / `mm_page_free:`, and whether the canonical path
    /// takes them (true) or must leave them to the general loop (false).
    static let allocs: [(String, Bool)] = [
        ("page=00000000deadbeef pfn=0x100001 order=0 migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE", true),
        ("       page=0x1df98a pfn=0x1df98a order=3 migratetype=0 gfp_flags=GFP_KERNEL|__GFP_COMP", true),  // trace-cmd
        ("page=ffffea0004a2d880 pfn=1214304 order=9 migratetype=2 gfp_flags=GFP_TRANSHUGE", true),       // decimal pfn
        ("page=0000000000000000 pfn=0x0 order=2 migratetype=0 gfp_flags=GFP_KERNEL", true),               // failed
        ("page=(null) pfn=-1 order=0 migratetype=1 gfp_flags=GFP_USER", true),
        ("page=0000000000000000 pfn=0xffffffffffffffff order=1 migratetype=1 gfp_flags=0x0()", true),
        ("page=00000000deadbeef pfn=0x10 order=0 migratetype=1 gfp_flags=", true),                       // empty mask
        ("page=00000000deadbeef pfn=0x10 order=0 migratetype=1 gfp_flags=GFP_KERNEL ", false),           // trailing space
        ("page=00000000deadbeef pfn=0x10  order=0 migratetype=1 gfp_flags=GFP_KERNEL", false),           // two spaces
        ("page=00000000deadbeef pfn=0x10 order=0 migratetype=1", false),                                 // no mask (old trees)
        ("pfn=0x10 page=00000000deadbeef order=0 migratetype=1 gfp_flags=GFP_KERNEL", false),            // other order
        ("page=00000000deadbeef pfn=+5 order=00000000000000001 migratetype=0x1 gfp_flags=GFP_KERNEL", false),
        ("page=00000000deadbeef pfn=0x10 order=0 migratetype=1 gfp_flags=GFP_KERNEL extra=1", false),
        ("page=00000000deadbeef pfn=0x10 order=0 migratetype=1 gfp_flags=NOT_A_FLAG", true),              // unreadable mask: -2
    ]
    static let frees: [(String, Bool)] = [
        ("page=00000000deadbeef pfn=0x100001 order=0", true),
        ("      page=0x1df98a pfn=0x1df98a order=10", true),
        ("page=ffffea0004a2d880 pfn=1214304 order=0", true),
        ("page=00000000deadbeef pfn=0x100001 order=0 ", false),
        ("page=00000000deadbeef pfn=0x100001", false),
        ("page=00000000deadbeef order=0 pfn=0x100001", false),
    ]

    func line(_ event: String, _ fields: String) -> [UInt8] {
        Array("  bash-1 [002] d..2.   1.000001: \(event): \(fields)".utf8)
    }

    /// Every field of the record, columns and mask included (`==` leaves those out).
    func same(_ a: TraceRecord, _ b: TraceRecord) -> Bool {
        a == b && a.orderColumn == b.orderColumn && a.migratetypeColumn == b.migratetypeColumn && a.gfpFlags == b.gfpFlags
    }

    @Test(arguments: [TraceEventKind.pageAlloc, .pageFree])
    func canonicalPathGivesTheGeneralLoopsRecord(kind: TraceEventKind) throws {
        let parser = TraceLineParser(file: "t.txt")
        let name = kind == .pageAlloc ? "mm_page_alloc" : "mm_page_free"
        for (fields, canonical) in kind == .pageAlloc ? Self.allocs : Self.frees {
            let bytes = line(name, fields)
            let start = bytes.count - fields.utf8.count
            try bytes.withUnsafeBufferPointer { b in
                let fast = parser.canonicalFields(b, from: start, kind: kind, cpu: 2, number: 7)
                #expect((fast != nil) == canonical, "\(fields)")
                // A line the general loop refuses is never taken by the canonical path.
                guard let general = try? parser.generalFields(b, from: start, kind: kind, cpu: 2, number: 7) else {
                    #expect(fast == nil, "\(fields)")
                    return
                }
                if let fast { #expect(same(fast, general), "\(fields): \(fast) against \(general)") }
                // And `parse`, which takes whichever path applies, gives that record too.
                guard case .event(let parsed) = try parser.parse(b, number: 7) else { Issue.record("\(fields): not an event"); return }
                #expect(same(parsed, general), "\(fields)")
            }
        }
    }

    /// A free of no page and an out-of-range order are left to the general loop, which words them.
    @Test func errorsStayWithTheGeneralLoop() {
        let parser = TraceLineParser(file: "t.txt")
        for (event, fields, message) in [
            ("mm_page_free", "page=0000000000000000 pfn=0x10 order=0", "t.txt:7:47: mm_page_free of a NULL page"),
            ("mm_page_alloc", "page=00000000deadbeef pfn=0x10 order=16 migratetype=1 gfp_flags=GFP_KERNEL",
             "t.txt:7:86: mm_page_alloc: order=16 is out of range (0…15)"),
        ] {
            let bytes = line(event, fields)
            bytes.withUnsafeBufferPointer { b in
                #expect(parser.canonicalFields(b, from: b.count - fields.utf8.count, kind: event == "mm_page_free" ? .pageFree : .pageAlloc,
                                               cpu: 2, number: 7) == nil)
                #expect(throws: TraceError.self) { _ = try parser.parse(b, number: 7) }
                do { _ = try parser.parse(b, number: 7) } catch { #expect("\(error)" == message) }
            }
        }
    }
}

extension CanonicalFieldsTests {
    /// Each hex-literal word pair spells its text, matched anywhere in a line, at its end (the
    /// out-of-line path), and not one byte short of it or off by one byte.
    @Test func literalsSpellTheirText() {
        let literals: [(ByteLiteral, String)] = [
            (.page, "page="), (.pfn, " pfn="), (.order, " order="), (.migratetype, " migratetype="),
            (.gfpFlags, " gfp_flags="), (.zeros, "00000000"),
        ]
        for (literal, text) in literals {
            #expect(literal.count == text.utf8.count, "\(text)")
            for (before, after) in [("", ""), ("xx", ""), ("", "abcdefghij0123456789"), ("abc", "abcdefghij0123456789")] {
                let bytes = Array((before + text + after).utf8)
                bytes.withUnsafeBufferPointer { b in
                    #expect(literal.matches(b, at: before.utf8.count), "\(text) after '\(before)' before '\(after)'")
                    #expect(!literal.matches(b, at: before.utf8.count + 1), "\(text) one byte late")
                }
                // Every single-byte change of the text is a mismatch.
                for k in 0..<text.utf8.count {
                    var changed = bytes
                    changed[before.utf8.count + k] ^= 0x01
                    changed.withUnsafeBufferPointer { b in #expect(!literal.matches(b, at: before.utf8.count), "\(text) byte \(k)") }
                }
            }
            // One byte short at the end of the line.
            Array(text.utf8.dropLast()).withUnsafeBufferPointer { b in #expect(!literal.matches(b, at: 0), "\(text) cut") }
        }
    }
}
