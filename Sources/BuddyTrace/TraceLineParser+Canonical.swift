/// The fields of `mm_page_alloc` and `mm_page_free` in the order their `TP_printk` prints them
/// (include/trace/events/kmem.h: `page=%p pfn=0x%lx order=%d migratetype=%d gfp_flags=%s`,
/// `page=%p pfn=0x%lx order=%d`), read without the general key loop.
///
/// Almost every line of a real trace is one of these two, printed exactly so; the general loop
/// (`fields`) looks each key up by name, keeps every value in a `FieldValues` and builds the
/// record from it, which was the largest part of a parse (issue 25: a quarter of a 10⁷-event
/// replay's samples). This path accepts only a line the general loop reads without a question —
/// the keys in that order, one space apart, every number plain digits in range, nothing after
/// the last field — and returns nil for anything else, which the general loop then reads (and,
/// where it is wrong, reports at its column). So both give the same record for every line
/// (`FastScanTests` holds them equal).
extension TraceLineParser {
    func canonicalFields(_ line: UnsafeBufferPointer<UInt8>, from start: Int, kind: TraceEventKind,
                         cpu: Int, number: Int) -> TraceRecord? {
        guard kind == .pageAlloc || kind == .pageFree else { return nil }
        let n = line.count
        var i = start
        while i < n, line[i] == 0x20 { i += 1 }
        guard ByteLiteral.page.matches(line, at: i) else { return nil }
        i += 5
        var end = Self.firstOf(line, from: i, 0x20, 0x20)
        // The ftrace buffer's hashed `%p` is 16 hex digits, 8 of them leading zeros: not NULL
        // as soon as the second half is not zeros too (two loads, not a digit loop).
        let pageIsNull = end - i == 16 && ByteLiteral.zeros.matches(line, at: i)
            ? ByteLiteral.zeros.matches(line, at: i + 8) : Self.isNullPointer(line, i, end)
        guard ByteLiteral.pfn.matches(line, at: end) else { return nil }
        i = end + 5
        end = Self.firstOf(line, from: i, 0x20, 0x20)
        var pfn: Int
        if Self.isAllOnes(UnsafeBufferPointer(rebasing: line[i..<end])) {
            pfn = -1
        } else {
            guard let value = Self.plainNumber(line, i, end, max: FieldValues.Key.pfn.upperBound) else { return nil }
            pfn = value
        }
        guard ByteLiteral.order.matches(line, at: end) else { return nil }
        i = end + 7
        let orderColumn = i + 1
        end = Self.firstOf(line, from: i, 0x20, 0x20)
        guard let order = Self.plainNumber(line, i, end, max: FieldValues.Key.order.upperBound) else { return nil }
        if pfn == -1 || pageIsNull { pfn = -1 }
        guard kind == .pageAlloc else {
            // A free of no page is an error the general loop words.
            guard end == n, pfn >= 0 else { return nil }
            var r = TraceRecord(kind: .pageFree, cpu: cpu, pfn: pfn, order: order, line: number)
            r.orderColumn = orderColumn
            return r
        }
        guard ByteLiteral.migratetype.matches(line, at: end) else { return nil }
        i = end + 13
        let migratetypeColumn = i + 1
        end = Self.firstOf(line, from: i, 0x20, 0x20)
        guard let migratetype = Self.plainNumber(line, i, end, max: FieldValues.Key.migratetype.upperBound),
              ByteLiteral.gfpFlags.matches(line, at: end) else { return nil }
        i = end + 11
        end = Self.firstOf(line, from: i, 0x20, 0x20)
        guard end == n else { return nil }
        var r = TraceRecord(kind: .pageAlloc, cpu: cpu, pfn: pfn, order: order, migratetype: migratetype, line: number)
        r.gfpFlags = gfp.value(UnsafeBufferPointer(rebasing: line[i..<end]))
        r.orderColumn = orderColumn
        r.migratetypeColumn = migratetypeColumn
        return r
    }
}
