import BuddyCore

/// A `/proc` file that cannot be used, located at file:line.
public struct ProcFileError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var message: String
    public var description: String { "\(file):\(line): \(message)" }
}

/// `/proc/zoneinfo` (mm/vmstat.c `zoneinfo_show_print`): per zone, the fields the import needs.
struct ZoneinfoFile {
    struct Zone {
        var name: String
        var startPfn: Int?
        var spanned = 0
        var present = 0
        var managed = 0
        var line: Int
    }
    var zones: [Zone] = []

    init(text: String, file: String) throws(ProcFileError) {
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            if line.hasPrefix("Node "), let z = words.firstIndex(of: "zone"), z + 1 < words.count {
                zones.append(Zone(name: String(words[z + 1]), line: i + 1))
                continue
            }
            guard !zones.isEmpty, words.count == 2 else { continue }
            let key = words[0].hasSuffix(":") ? String(words[0].dropLast()) : String(words[0])
            guard ["spanned", "present", "managed", "start_pfn"].contains(key) else { continue }
            guard let value = Int(words[1]) else {
                throw ProcFileError(file: file, line: i + 1, message: "\(key): '\(words[1])' is not a number")
            }
            switch key {
            case "spanned": zones[zones.count - 1].spanned = value
            case "present": zones[zones.count - 1].present = value
            case "managed": zones[zones.count - 1].managed = value
            default: zones[zones.count - 1].startPfn = value
            }
        }
        guard !zones.isEmpty else { throw ProcFileError(file: file, line: 1, message: "no 'Node N, zone NAME' section") }
    }
}

/// `/proc/buddyinfo` (`frag_show_print`): `Node 0, zone NAME c0 c1 … cMAX` — nr_free per order.
struct BuddyinfoFile {
    var zones: [(name: String, counts: [Int], line: Int)] = []

    init(text: String, file: String) throws(ProcFileError) {
        for (i, raw) in text.split(separator: "\n").enumerated() {
            let words = raw.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard !words.isEmpty else { continue }
            guard words.count > 4, words[0] == "Node", words[2] == "zone" else {
                throw ProcFileError(file: file, line: i + 1, message: "expected 'Node N, zone NAME counts…'")
            }
            var counts: [Int] = []
            for w in words[4...] {
                guard let n = Int(w), n >= 0 else { throw ProcFileError(file: file, line: i + 1, message: "'\(w)' is not a count") }
                counts.append(n)
            }
            if let first = zones.first, first.counts.count != counts.count {
                throw ProcFileError(file: file, line: i + 1, message: "\(counts.count) orders here, \(first.counts.count) on line \(first.line)")
            }
            zones.append((words[3], counts, i + 1))
        }
        guard !zones.isEmpty else { throw ProcFileError(file: file, line: 1, message: "no zone lines") }
    }
}

/// `/proc/pagetypeinfo` (`pagetypeinfo_show`): pageblock order, free blocks per (zone, type,
/// order) and pageblocks per (zone, type).
struct PagetypeinfoFile {
    var pageblockOrder = -1
    /// (zone, type) → counts per order.
    var free: [(zone: String, type: MigrateType, counts: [Int], line: Int)] = []
    /// zone → pageblocks per type.
    var blocks: [(zone: String, counts: [MigrateType: Int], line: Int)] = []

    static func type(named name: String) -> MigrateType? { MigrateType.allCases.first { $0.procName == name } }

    init(text: String, file: String) throws(ProcFileError) {
        var blockTypes: [MigrateType]?
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(raw)
            let words = line.replacingOccurrences(of: ",", with: " ").split(separator: " ").map(String.init)
            func fail(_ m: String) -> ProcFileError { ProcFileError(file: file, line: i + 1, message: m) }
            if line.hasPrefix("Page block order:") {
                guard let n = Int(words.last ?? "") else { throw fail("page block order is not a number") }
                pageblockOrder = n
            } else if line.hasPrefix("Number of blocks type") {
                var types: [MigrateType] = []
                for w in words.dropFirst(4) {
                    guard let t = Self.type(named: w) else { throw fail("unknown migratetype '\(w)'") }
                    types.append(t)
                }
                blockTypes = types
            } else if words.first == "Node", words.count > 4, words[2] == "zone" {
                if let t = words.firstIndex(of: "type"), t + 1 < words.count {
                    guard let type = Self.type(named: words[t + 1]) else { throw fail("unknown migratetype '\(words[t + 1])'") }
                    var counts: [Int] = []
                    for w in words[(t + 2)...] {
                        guard let n = Int(w), n >= 0 else { throw fail("'\(w)' is not a count") }
                        counts.append(n)
                    }
                    free.append((words[3], type, counts, i + 1))
                } else {
                    guard let types = blockTypes else { throw fail("block counts before the 'Number of blocks type' header") }
                    let values = words.dropFirst(4).compactMap { Int($0) }
                    guard values.count == types.count else {
                        throw fail("\(values.count) block counts for \(types.count) migratetypes")
                    }
                    var counts: [MigrateType: Int] = [:]
                    for (t, v) in zip(types, values) { counts[t] = v }
                    blocks.append((words[3], counts, i + 1))
                }
            }
        }
        guard pageblockOrder >= 0 else { throw ProcFileError(file: file, line: 1, message: "no 'Page block order:' line") }
        guard !blocks.isEmpty else { throw ProcFileError(file: file, line: 1, message: "no 'Number of blocks type' table") }
    }
}
