import Foundation

/// Checks a stored record's bytes and values before it is trusted (issue 12, defect 7): a record
/// written by a newer buddylab, a hand-edited file with a key twice (Foundation's decoder keeps
/// one silently) or a counter no simulation can produce (`events: -9223372036854775808`) becomes
/// a `StoreProblem` naming the file and the reason, like any corrupt record, instead of numbers
/// in a report.
enum RecordChecks {
    /// The record schema this buddylab reads.
    static let schemaVersion = 1

    /// Largest magnitude accepted for any metric: 2^53, beyond which JSON numbers lose integer
    /// precision in most readers, and far beyond what a run of ≤ 10^8 events on ≤ 2^32 frames
    /// produces.
    static let maxMagnitude = 1 << 53

    /// Metrics that may be negative: counters the design maintains (they drift below zero in
    /// broken designs) and their differences from the truth. `largest_free_order` is -1 when
    /// nothing is free. Every other catalogued metric counts something and is ≥ 0.
    static let signedMetrics: Set<String> = Set([
        "nr_free_pages", "nr_free_pages_min", "nr_free_pages_drift", "nr_free_blocks_drift",
        "largest_free_order",
    ]).union((0...MetricCatalog.extfragMaxOrder).map { "extfrag_index_\($0)" })

    /// Why `data` must not be read as a record of this version, before decoding it: a schema other
    /// than ours (named, so a newer record is not mistaken for a corrupt one), or a duplicate key.
    static func problemBeforeDecoding(_ data: Data) -> String? {
        struct SchemaOnly: Decodable { let schema: Int? }
        if let peek = try? JSONDecoder().decode(SchemaOnly.self, from: data), let schema = peek.schema,
           schema != schemaVersion {
            return schema > schemaVersion
                ? "record schema \(schema) is newer than this buddylab reads (schema \(schemaVersion)); use a newer buddylab"
                : "unknown record schema \(schema) (this buddylab reads schema \(schemaVersion))"
        }
        if let key = JSONDuplicateKeys.first(in: data) { return "duplicate JSON key \(key)" }
        return nil
    }

    /// Why a decoded record's values cannot have come from a run, or nil.
    static func problem(in record: StoredRecord) -> String? {
        for (name, value) in record.run.metrics.sorted(by: { $0.key < $1.key }) {
            if value.magnitude > UInt(maxMagnitude) {
                return "run.metrics.\(name): \(value) is out of range (|value| ≤ 2^53)"
            }
            let known = MetricCatalog.info(name) != nil
            if known && !signedMetrics.contains(name) && value < 0 {
                return "run.metrics.\(name): \(value) is negative (it counts something)"
            }
            if name == "largest_free_order" && value < -1 {
                return "run.metrics.\(name): \(value) is below -1"
            }
            if name == "unusable_free_index" && value > 1000 {
                return "run.metrics.\(name): \(value) exceeds 1000 (the index is ×1000)"
            }
        }
        if let op = record.run.ops.first(where: { $0.index < 0 }) {
            return "run.ops: index \(op.index) is negative"
        }
        if let fault = record.run.faults.first(where: { $0.event < 0 }) {
            return "run.faults: event \(fault.event) is negative"
        }
        return nil
    }
}

/// Finds the first object key that appears twice in one JSON object.
///
/// A small scanner over the bytes, not a full parser: it follows strings (with escapes), objects
/// and arrays, and gives up (nil) on anything malformed, which the real decoder then reports.
/// Keys are compared as written between the quotes.
enum JSONDuplicateKeys {
    /// The duplicate key and where its object is (`'events' in run.metrics`), or nil.
    static func first(in data: Data) -> String? {
        var scanner = Scanner(bytes: [UInt8](data))
        return scanner.value(depth: 0)
    }

    /// Linear in the bytes; allocates only for object keys (the path is joined only when a
    /// duplicate is found).
    private struct Scanner {
        let bytes: [UInt8]
        var i = 0
        /// Keys (and `[]` for arrays) from the root to the current value.
        var path: [String] = []
        /// Nesting beyond this is left to the decoder (which has its own limit).
        static let maxDepth = 256

        init(bytes: [UInt8]) { self.bytes = bytes }

        mutating func skipSpace() {
            while i < bytes.count {
                switch bytes[i] {
                case 0x20, 0x09, 0x0A, 0x0D: i += 1
                default: return
                }
            }
        }

        /// Scans one value; returns a duplicate found inside it.
        mutating func value(depth: Int) -> String? {
            skipSpace()
            guard i < bytes.count, depth < Self.maxDepth else { return nil }
            switch bytes[i] {
            case UInt8(ascii: "{"): return object(depth: depth + 1)
            case UInt8(ascii: "["): return array(depth: depth + 1)
            case UInt8(ascii: "\""):
                _ = skipString()
                return nil
            default:
                while i < bytes.count {
                    switch bytes[i] {
                    case UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"): return nil
                    default: i += 1
                    }
                }
                return nil
            }
        }

        mutating func array(depth: Int) -> String? {
            i += 1  // [
            path.append("[]")
            defer { path.removeLast() }
            while true {
                skipSpace()
                guard i < bytes.count else { return nil }
                if bytes[i] == UInt8(ascii: "]") { i += 1; return nil }
                if let found = value(depth: depth) { return found }
                skipSpace()
                guard i < bytes.count else { return nil }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "]") { i += 1; return nil }
                i = bytes.count; return nil
            }
        }

        mutating func object(depth: Int) -> String? {
            i += 1  // {
            var keys = Set<String>()
            while true {
                skipSpace()
                guard i < bytes.count else { return nil }
                if bytes[i] == UInt8(ascii: "}") { i += 1; return nil }
                guard bytes[i] == UInt8(ascii: "\""), let range = skipString() else { i = bytes.count; return nil }
                let key = String(decoding: bytes[range], as: UTF8.self)
                if !keys.insert(key).inserted {
                    let place = path.joined(separator: ".").replacingOccurrences(of: ".[]", with: "[]")
                    return place.isEmpty ? "'\(key)'" : "'\(key)' in \(place)"
                }
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { i = bytes.count; return nil }
                i += 1
                path.append(key)
                let found = value(depth: depth)
                path.removeLast()
                if let found { return found }
                skipSpace()
                guard i < bytes.count else { return nil }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "}") { i += 1; return nil }
                i = bytes.count; return nil
            }
        }

        /// Skips a string starting at `"`, leaving `i` after its closing quote; returns the
        /// range of its raw text.
        mutating func skipString() -> Range<Int>? {
            i += 1
            let start = i
            while i < bytes.count {
                if bytes[i] == UInt8(ascii: "\\") { i += 2; continue }
                if bytes[i] == UInt8(ascii: "\"") {
                    i += 1
                    return start..<(i - 1)
                }
                i += 1
            }
            return nil
        }
    }
}
