import BuddyBounds
#if canImport(Glibc)
import Glibc
#endif

/// Parses one line of kmem page-tracepoint text in any of the three layouts people have:
///
/// - the ftrace buffer (`/sys/kernel/tracing/trace`, `trace_pipe`):
///   `  bash-10805   [000] d..2.   275.950261: mm_page_alloc: page=… pfn=0x2ba220 order=0 …`
/// - `trace-cmd report`:
///   `  bash-28108 [000]   385.724752: mm_page_alloc:        page=0x1df98a pfn=0x1df98a order=0 …`
/// - `perf script`:
///   `  perf 11824 [001]   297.511883:             kmem:mm_page_alloc: page=0x31dd02 pfn=0x31dd02 …`
///
/// All three are `TASK [CPU] [FLAGS] TIMESTAMP: [SYSTEM:]EVENT: FIELDS`, where FIELDS is the
/// tracepoint's `TP_printk` (`key=value` separated by spaces). Fields are read by key, so the
/// per-version differences of include/trace/events/kmem.h need no version switch: `pfn=` is
/// decimal (`%lu`) in older trees and hex (`0x%lx`) in the 6.1, 6.12 and 6.18 ones checked — both
/// are parsed; `percpu_refill=` of `mm_page_alloc_zone_locked` and `change_ownership=` of
/// `mm_page_alloc_extfrag` are optional (older trees lack them); `cold=` of old
/// `mm_page_free_batched` and `fragmenting=`/`pageblock_order=` are ignored; `gfp_flags=` of
/// `mm_page_alloc` is read into `TraceRecord.gfpFlags` (TraceGFPFlags.swift).
/// A failed `mm_page_alloc` prints a NULL page (and `pfn=0x0` in 6.x, as `TP_printk` maps the
/// -1UL it stores to 0): its pfn becomes -1.
///
/// Lines that are not events — ftrace `#` headers, trace-cmd's `cpus=N` / `version = N` /
/// `CPU N is empty`, blank lines — and events of other tracepoints are skipped; lost-event
/// markers (`CPU:1 [LOST 42 EVENTS]`, trace-cmd's `[42 EVENTS DROPPED]`) are counted. Anything
/// else, and a kmem line with a missing or malformed field, is a `TraceError` at file:line:column.
public struct TraceLineParser: Sendable {
    public var file: String
    let gfp = TraceGFPFlags()
    public init(file: String) { self.file = file }

    /// What one line held.
    public enum Line: Equatable {
        case event(TraceRecord)
        /// A header, blank line or another tracepoint.
        case skipped
        /// The tracer dropped events here (ring buffer overrun).
        case lostEvents
    }

    public func parse(_ text: String, number: Int) throws(TraceError) -> Line {
        var bytes = Array(text.utf8)
        return try bytes.withUnsafeMutableBufferPointer { (b) throws(TraceError) -> Line in
            try parse(UnsafeBufferPointer(b), number: number)
        }
    }

    public func parse(_ line: UnsafeBufferPointer<UInt8>, number: Int) throws(TraceError) -> Line {
        let n = line.count
        var i = 0
        // The ftrace buffer right-aligns the task in 16 columns: skip whole words of spaces first.
        while i + 8 <= n, ByteLiteral.word(line, i) == 0x2020_2020_2020_2020 { i += 8 }
        while i < n, line[i] == 0x20 || line[i] == 0x09 { i += 1 }
        if i == n || line[i] == UInt8(ascii: "#") { return .skipped }

        // [CPU]: the first '[' followed by digits and ']'.
        // memchr (SIMD) to each candidate byte here and for the timestamp's ": " below, not a
        // byte loop: the task, CPU, flags and timestamp columns are 40 % of a line.
        let base = UnsafeRawPointer(line.baseAddress!)
        var cpu = -1
        var j = i
        while j < n {
            guard let p = memchr(base + j, 0x5B, n - j) else { break }
            j = UnsafeRawPointer(p) - base
            if let (value, close) = Self.bracketedNumber(line, j) {
                cpu = value; j = close + 1; break
            }
            j += 1
        }
        guard cpu >= 0 else {
            // Not an event line: a trace-cmd header, a lost-events marker, or garbage.
            if Self.hasPrefix(line, i, "cpus=") || Self.hasPrefix(line, i, "version =") { return .skipped }
            if Self.hasPrefix(line, i, "CPU ") && Self.contains(line, " is empty") { return .skipped }
            if Self.contains(line, " EVENTS]") || Self.contains(line, " EVENTS DROPPED]") { return .lostEvents }
            throw error(number, i, "not a trace event line: no [CPU] field")
        }
        // TIMESTAMP ends at the first ": " after the CPU.
        while j + 1 < n {
            guard let p = memchr(base + j, 0x3A, n - 1 - j) else { j = n - 1; break }
            j = UnsafeRawPointer(p) - base
            if line[j + 1] == 0x20 { break }
            j += 1
        }
        guard j + 1 < n else { throw error(number, j, "not a trace event line: no 'TIMESTAMP: EVENT:'") }
        j += 2
        while j < n, line[j] == 0x20 { j += 1 }
        // EVENT up to ':', with perf's optional SYSTEM: prefix.
        var nameStart = j
        j = Self.firstOf(line, from: j, 0x3A, 0x20)
        guard j < n, line[j] == UInt8(ascii: ":") else { throw error(number, nameStart, "event name not followed by ':'") }
        if j - nameStart == 4, Self.hasPrefix(line, nameStart, "kmem") {
            j += 1; nameStart = j
            j = Self.firstOf(line, from: j, 0x3A, 0x20)
            guard j < n, line[j] == UInt8(ascii: ":") else { throw error(number, nameStart, "event name not followed by ':'") }
        }
        guard let kind = TraceEventKind.named(UnsafeBufferPointer(rebasing: line[nameStart..<j])) else { return .skipped }
        return .event(try fields(line, from: j + 1, kind: kind, cpu: cpu, number: number))
    }

    /// Reads `key=value` fields after the event name: a line as its tracepoint prints it through
    /// `canonicalFields`, any other through the general loop.
    private func fields(_ line: UnsafeBufferPointer<UInt8>, from start: Int, kind: TraceEventKind,
                        cpu: Int, number: Int) throws(TraceError) -> TraceRecord {
        if let record = canonicalFields(line, from: start, kind: kind, cpu: cpu, number: number) { return record }
        return try generalFields(line, from: start, kind: kind, cpu: cpu, number: number)
    }

    /// The general loop: keys in any order, looked up by name.
    func generalFields(_ line: UnsafeBufferPointer<UInt8>, from start: Int, kind: TraceEventKind,
                       cpu: Int, number: Int) throws(TraceError) -> TraceRecord {
        var f = FieldValues()
        var i = start
        let n = line.count
        while i < n {
            while i < n, line[i] == 0x20 { i += 1 }
            if i == n { break }
            let keyStart = i
            i = Self.firstOf(line, from: i, 0x3D, 0x20)
            guard i < n, line[i] == UInt8(ascii: "=") else {
                throw error(number, keyStart, "\(kind.name): expected key=value, found '\(Self.text(line, keyStart, i))'")
            }
            let keyEnd = i
            i += 1
            let valueStart = i
            i = Self.firstOf(line, from: i, 0x20, 0x20)
            let key = UnsafeBufferPointer(rebasing: line[keyStart..<keyEnd])
            if key.count == 9, Self.hasPrefix(key, 0, "gfp_flags") {
                f.gfpFlags = gfp.value(UnsafeBufferPointer(rebasing: line[valueStart..<i]))
                continue
            }
            guard let slot = FieldValues.Key(key) else { continue }  // gfp_flags, pageblock_order, …
            if slot == .page {
                f.pageIsNull = Self.isNullPointer(line, valueStart, i)
                continue
            }
            let valueBytes = UnsafeBufferPointer(rebasing: line[valueStart..<i])
            if slot == .pfn, Self.isAllOnes(valueBytes) {  // -1UL of a failed allocation (pre-6.x)
                f.set(slot, -1)
                continue
            }
            switch slot {
            case .order, .allocOrder: f.orderColumn = valueStart + 1
            case .migratetype, .allocMigratetype: f.migratetypeColumn = valueStart + 1
            default: break
            }
            // Plain digits in range (every field of every real line) without the general
            // reader's Result and domain name; anything else (a sign, too many digits, out of
            // range, not a number) goes to `BoundedNumber`, which says why.
            if let value = Self.plainNumber(line, valueStart, i, max: slot.upperBound) {
                f.set(slot, value)
                continue
            }
            switch BoundedNumber.parse(valueBytes, slot.domain) {
            case .success(let value): f.set(slot, value)
            case .failure(let problem): throw error(number, valueStart, "\(kind.name): \(problem)")
            }
        }
        func need(_ key: FieldValues.Key) throws(TraceError) -> Int {
            guard let v = f.value(key) else { throw error(number, start, "\(kind.name) without \(key.name)=") }
            return v
        }
        var pfn = try need(.pfn)
        if pfn == -1 || f.pageIsNull { pfn = -1 }
        var record = try record(kind, f, pfn: pfn, cpu: cpu, number: number, start: start)
        record.orderColumn = f.orderColumn
        record.migratetypeColumn = f.migratetypeColumn
        return record
    }

    private func record(_ kind: TraceEventKind, _ f: FieldValues, pfn: Int, cpu: Int, number: Int,
                        start: Int) throws(TraceError) -> TraceRecord {
        func need(_ key: FieldValues.Key) throws(TraceError) -> Int {
            guard let v = f.value(key) else { throw error(number, start, "\(kind.name) without \(key.name)=") }
            return v
        }
        switch kind {
        case .pageAlloc:
            var r = TraceRecord(kind: kind, cpu: cpu, pfn: pfn, order: try need(.order),
                                migratetype: try need(.migratetype), line: number)
            r.gfpFlags = f.gfpFlags
            return r
        case .pageFree:
            return TraceRecord(kind: kind, cpu: cpu, pfn: try checked(pfn, kind, number, start), order: try need(.order), line: number)
        case .pageFreeBatched:
            return TraceRecord(kind: kind, cpu: cpu, pfn: try checked(pfn, kind, number, start), order: f.value(.order) ?? 0, line: number)
        case .pageAllocZoneLocked:
            return TraceRecord(kind: kind, cpu: cpu, pfn: pfn, order: try need(.order),
                               migratetype: try need(.migratetype), percpuRefill: f.value(.percpuRefill) ?? -1, line: number)
        case .pagePcpuDrain:
            return TraceRecord(kind: kind, cpu: cpu, pfn: try checked(pfn, kind, number, start), order: try need(.order),
                               migratetype: try need(.migratetype), line: number)
        case .pageAllocExtfrag:
            return TraceRecord(kind: kind, cpu: cpu, pfn: pfn, order: try need(.allocOrder),
                               migratetype: try need(.allocMigratetype), fallbackOrder: try need(.fallbackOrder),
                               fallbackMigratetype: try need(.fallbackMigratetype),
                               changeOwnership: f.value(.changeOwnership) ?? -1, line: number)
        }
    }

    /// Frees and drains always name a real page.
    private func checked(_ pfn: Int, _ kind: TraceEventKind, _ number: Int, _ col: Int) throws(TraceError) -> Int {
        guard pfn >= 0 else { throw error(number, col, "\(kind.name) of a NULL page") }
        return pfn
    }

    func error(_ line: Int, _ index: Int, _ message: String) -> TraceError {
        TraceError(file: file, line: line, column: index + 1, message: message)
    }

    // MARK: - Byte helpers

    static func hasPrefix(_ b: UnsafeBufferPointer<UInt8>, _ at: Int, _ s: StaticString) -> Bool {
        let count = s.utf8CodeUnitCount
        guard at + count <= b.count else { return false }
        // memcmp: the byte loop over a StaticString was about 90 instructions a call.
        return count == 0 || memcmp(b.baseAddress! + at, s.utf8Start, count) == 0
    }

    static func contains(_ b: UnsafeBufferPointer<UInt8>, _ s: StaticString) -> Bool {
        let count = s.utf8CodeUnitCount
        guard count <= b.count else { return false }
        for at in 0...(b.count - count) where hasPrefix(b, at, s) { return true }
        return false
    }

    /// `[123]` at `at` → (123, index of ']').
    static func bracketedNumber(_ b: UnsafeBufferPointer<UInt8>, _ at: Int) -> (Int, Int)? {
        var k = at + 1, value = 0
        while k < b.count, b[k] >= 0x30, b[k] <= 0x39, k - at <= 6 { value = value * 10 + Int(b[k] - 0x30); k += 1 }
        guard k > at + 1, k < b.count, b[k] == UInt8(ascii: "]") else { return nil }
        return (value, k)
    }

    /// The index of the first `c1` or `c2` in `b[from...]` (`b.count` when none), eight bytes
    /// at a time: a byte-at-a-time scan of the keys and values was the largest part of a parse.
    /// `x - 0x01…01 & ~x & 0x80…80` is non-zero iff a byte of `x` is zero, and its lowest set
    /// bit marks the first such byte (higher ones may be false positives, never lower ones).
    @inline(__always)
    static func firstOf(_ b: UnsafeBufferPointer<UInt8>, from: Int, _ c1: UInt8, _ c2: UInt8) -> Int {
        let n = b.count
        var i = from
        guard let base = b.baseAddress else { return n }
        let p = UnsafeRawPointer(base)
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let m1 = UInt64(c1) &* ones, m2 = UInt64(c2) &* ones
        while i + 8 <= n {
            let w = p.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let x1 = w ^ m1, x2 = w ^ m2
            let hit = ((x1 &- ones) & ~x1 | (x2 &- ones) & ~x2) & highs
            if hit != 0 { return i + hit.trailingZeroBitCount >> 3 }
            i += 8
        }
        while i < n, b[i] != c1, b[i] != c2 { i += 1 }
        return i
    }

    /// `0x` + 1…13 hex digits or 1…15 decimal digits (below 2^52 either way, so no overflow),
    /// when the value is at most `max`; nil for any other text, which `BoundedNumber` reads.
    @inline(__always)
    static func plainNumber(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int, max: Int) -> Int? {
        var k = from
        var value = 0
        if to - from > 2, b[k] == 0x30, b[k + 1] | 0x20 == UInt8(ascii: "x") {
            k += 2
            guard to - k <= 13 else { return nil }
            while k < to {
                let c = b[k]
                let d: Int
                if c &- 0x30 < 10 { d = Int(c &- 0x30) } else if (c | 0x20) &- 0x61 < 6 { d = Int((c | 0x20) &- 0x61) + 10 } else { return nil }
                value = value << 4 | d
                k += 1
            }
        } else {
            guard to > from, to - from <= 15 else { return nil }
            while k < to {
                let d = b[k] &- 0x30
                guard d < 10 else { return nil }
                value = value &* 10 &+ Int(d)
                k += 1
            }
        }
        return value <= max ? value : nil
    }

    /// `-1` or `0xffffffffffffffff`: the -1UL an older `mm_page_alloc` prints for no page.
    static func isAllOnes(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        if b.count == 2 { return b[0] == UInt8(ascii: "-") && b[1] == UInt8(ascii: "1") }
        guard b.count == 18, b[0] == 0x30, b[1] | 0x20 == UInt8(ascii: "x") else { return false }
        return b[2...].allSatisfy { $0 | 0x20 == UInt8(ascii: "f") }
    }

    /// `%p` of NULL: `0000000000000000`, `(null)`, `(nil)`, `0x0`, `0`.
    static func isNullPointer(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> Bool {
        if to - from == 6, hasPrefix(b, from, "(null)") { return true }
        if to - from == 5, hasPrefix(b, from, "(nil)") { return true }
        var k = from
        if to - from > 2, b[k] == 0x30, b[k + 1] | 0x20 == UInt8(ascii: "x") { k += 2 }
        guard k < to else { return false }
        while k < to { if b[k] != 0x30 { return false }; k += 1 }
        return true
    }

    static func text(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: b[from..<max(from, min(to, b.count))]), as: UTF8.self)
    }
}

/// The integer fields the six tracepoints print, by key.
struct FieldValues {
    enum Key: Int {
        case page, pfn, order, migratetype, percpuRefill, allocOrder, fallbackOrder, allocMigratetype,
             fallbackMigratetype, changeOwnership

        static let names: [(Key, StaticString)] = [
            (.page, "page"), (.pfn, "pfn"), (.order, "order"), (.migratetype, "migratetype"),
            (.percpuRefill, "percpu_refill"), (.allocOrder, "alloc_order"), (.fallbackOrder, "fallback_order"),
            (.allocMigratetype, "alloc_migratetype"), (.fallbackMigratetype, "fallback_migratetype"),
            (.changeOwnership, "change_ownership"),
        ]

        init?(_ bytes: UnsafeBufferPointer<UInt8>) {
            // Dispatch on length (only 11 is shared: migratetype / alloc_order), then compare.
            func isKey(_ name: StaticString) -> Bool { TraceLineParser.hasPrefix(bytes, 0, name) }
            switch bytes.count {
            case 4 where isKey("page"): self = .page
            case 3 where isKey("pfn"): self = .pfn
            case 5 where isKey("order"): self = .order
            case 11 where isKey("migratetype"): self = .migratetype
            case 11 where isKey("alloc_order"): self = .allocOrder
            case 13 where isKey("percpu_refill"): self = .percpuRefill
            case 14 where isKey("fallback_order"): self = .fallbackOrder
            case 17 where isKey("alloc_migratetype"): self = .allocMigratetype
            case 20 where isKey("fallback_migratetype"): self = .fallbackMigratetype
            case 16 where isKey("change_ownership"): self = .changeOwnership
            default: return nil
            }
        }

        /// The top of `domain`'s range, without building the domain (its name is a String).
        /// Literals, not `InputBounds`' statics (a lazy global of another module: a
        /// `swift_once` call per field); `FastScanTests.upperBoundsAreTheDomains` pins them.
        var upperBound: Int {
            switch self {
            case .page, .pfn: (1 << 52) - 1
            case .order, .allocOrder, .fallbackOrder: 15
            case .migratetype, .allocMigratetype, .fallbackMigratetype: 15
            case .percpuRefill, .changeOwnership: 1
            }
        }

        var name: String { Self.names.first { $0.0 == self }.map { "\($0.1)" } ?? "" }

        /// The range each field is read into (`InputBounds`): pfns below 2^52 (or -1 for no
        /// page), orders 0…15, migratetypes 0…15 (MIGRATE_TYPES is at most 7), flags 0/1.
        var domain: NumberDomain { Self.domains[rawValue] }

        /// Built once: a field's domain is looked up per parsed value.
        static let domains: [NumberDomain] = (0...Key.changeOwnership.rawValue).map { Key(rawValue: $0)!.makeDomain() }

        private func makeDomain() -> NumberDomain {
            switch self {
            case .page, .pfn: .pfn(name)
            case .order, .allocOrder, .fallbackOrder: .order(name)
            case .migratetype, .allocMigratetype, .fallbackMigratetype: NumberDomain(name, 0...15)
            case .percpuRefill, .changeOwnership: NumberDomain(name, 0...1)
            }
        }
    }

    private var values = (Int, Int, Int, Int, Int, Int, Int, Int, Int, Int)(0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    private var present: UInt16 = 0
    var pageIsNull = false
    var orderColumn = 0
    var migratetypeColumn = 0
    /// `gfp_flags=` (TraceGFPFlags.swift), -1 when the line has none.
    var gfpFlags = -1

    mutating func set(_ key: Key, _ value: Int) {
        present |= 1 << key.rawValue
        withUnsafeMutableBytes(of: &values) { $0.storeBytes(of: value, toByteOffset: key.rawValue * 8, as: Int.self) }
    }

    func value(_ key: Key) -> Int? {
        guard present & (1 << key.rawValue) != 0 else { return nil }
        return withUnsafeBytes(of: values) { $0.load(fromByteOffset: key.rawValue * 8, as: Int.self) }
    }
}
