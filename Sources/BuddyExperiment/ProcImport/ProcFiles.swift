import BuddyBounds
import BuddyCore

/// A `/proc` file that cannot be used, located at file:line:column (column 0: the whole line).
public struct ProcFileError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int = 0
    public var message: String
    public init(file: String, line: Int, column: Int = 0, message: String) {
        self.file = file; self.line = line; self.column = column; self.message = message
    }
    public var description: String { column == 0 ? "\(file):\(line): \(message)" : "\(file):\(line):\(column): \(message)" }
}

/// Words of one /proc line (split at spaces, tabs and commas) that keep their columns.
struct ProcLine {
    let file: String
    let number: Int
    let raw: Substring
    let words: [Substring]

    init(_ raw: Substring, number: Int, file: String) {
        self.raw = raw; self.number = number; self.file = file
        words = raw.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," })
    }

    func column(_ word: Substring) -> Int { raw.utf8.distance(from: raw.startIndex, to: word.startIndex) + 1 }

    func fail(_ message: String, at word: Substring? = nil) -> ProcFileError {
        ProcFileError(file: file, line: number, column: word.map(column) ?? 0, message: message)
    }

    /// `word` read into `domain` (`InputBounds`), or an error at its column.
    func number(_ word: Substring, _ domain: NumberDomain) throws(ProcFileError) -> Int {
        switch BoundedNumber.parse(text: word, domain) {
        case .success(let v): return v
        case .failure(let problem): throw fail("\(problem)", at: word)
        }
    }
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
        /// Line and column of each field read.
        var marks: [String: (Int, Int)] = [:]
    }
    var zones: [Zone] = []

    init(text: String, file: String) throws(ProcFileError) {
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let pl = ProcLine(raw, number: i + 1, file: file)
            let words = pl.words
            if words.first == "Node", let z = words.firstIndex(of: "zone"), z + 1 < words.count {
                zones.append(Zone(name: String(words[z + 1]), line: i + 1))
                continue
            }
            guard !zones.isEmpty, words.count == 2 else { continue }
            let key = words[0].hasSuffix(":") ? String(words[0].dropLast()) : String(words[0])
            guard ["spanned", "present", "managed", "start_pfn"].contains(key) else { continue }
            let z = zones.count - 1
            let value = try pl.number(words[1], key == "start_pfn" ? .pfn("start_pfn") : .count(key))
            zones[z].marks[key] = (i + 1, pl.column(words[1]))
            switch key {
            case "spanned": zones[z].spanned = value
            case "present": zones[z].present = value
            case "managed": zones[z].managed = value
            default: zones[z].startPfn = value
            }
        }
        // The kernel's own order (free_area_init_core / calculate_node_totalpages):
        // managed ≤ present ≤ spanned, and start_pfn + spanned is still a pfn.
        for z in zones {
            func fail(_ key: String, _ m: String) -> ProcFileError {
                let (l, c) = z.marks[key] ?? (z.line, 0)
                return ProcFileError(file: file, line: l, column: c, message: "zone \(z.name): \(m)")
            }
            guard z.present <= z.spanned else { throw fail("present", "present \(z.present) exceeds spanned \(z.spanned)") }
            guard z.managed <= z.present else { throw fail("managed", "managed \(z.managed) exceeds present \(z.present)") }
            guard (z.startPfn ?? 0) + z.spanned < InputBounds.pfnLimit else {
                throw fail("spanned", "start_pfn + spanned is beyond any pfn (2^52)")
            }
        }
        guard !zones.isEmpty else { throw ProcFileError(file: file, line: 1, message: "no 'Node N, zone NAME' section") }
    }
}

/// `/proc/buddyinfo` (`frag_show_print`): `Node 0, zone NAME c0 c1 … cMAX` — nr_free per order.
struct BuddyinfoFile {
    var zones: [(name: String, counts: [Int], line: Int)] = []

    init(text: String, file: String) throws(ProcFileError) {
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let pl = ProcLine(raw, number: i + 1, file: file)
            let words = pl.words
            guard !words.isEmpty else { continue }
            guard words.count > 4, words[0] == "Node", words[2] == "zone" else {
                throw ProcFileError(file: file, line: i + 1, message: "expected 'Node N, zone NAME counts…'")
            }
            // One column per order 0…MAX_PAGE_ORDER (at most 15).
            guard words.count - 4 <= InputBounds.maxOrder + 1 else {
                throw pl.fail("\(words.count - 4) orders (at most \(InputBounds.maxOrder + 1): orders 0…\(InputBounds.maxOrder))",
                              at: words[4 + InputBounds.maxOrder + 1])
            }
            var counts: [Int] = []
            for w in words[4...] { counts.append(try pl.number(w, .count("nr_free"))) }
            if let first = zones.first, first.counts.count != counts.count {
                throw ProcFileError(file: file, line: i + 1, message: "\(counts.count) orders here, \(first.counts.count) on line \(first.line)")
            }
            zones.append((String(words[3]), counts, i + 1))
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
            let pl = ProcLine(raw, number: i + 1, file: file)
            let words = pl.words
            func fail(_ m: String, at w: Substring? = nil) -> ProcFileError { pl.fail(m, at: w) }
            if raw.hasPrefix("Page block order:") {
                guard let last = words.last, words.count == 4 else { throw fail("page block order is not a number") }
                pageblockOrder = try pl.number(last, .order("pageblock order"))
            } else if raw.hasPrefix("Number of blocks type") {
                var types: [MigrateType] = []
                for w in words.dropFirst(4) {
                    guard let t = Self.type(named: String(w)) else { throw fail("unknown migratetype '\(w)'", at: w) }
                    types.append(t)
                }
                blockTypes = types
            } else if words.first == "Node", words.count > 4, words[2] == "zone" {
                if let t = words.firstIndex(of: "type"), t + 1 < words.count {
                    guard let type = Self.type(named: String(words[t + 1])) else {
                        throw fail("unknown migratetype '\(words[t + 1])'", at: words[t + 1])
                    }
                    guard words.count - (t + 2) <= InputBounds.maxOrder + 1 else {
                        throw fail("more than \(InputBounds.maxOrder + 1) orders", at: words[t + 2 + InputBounds.maxOrder + 1])
                    }
                    var counts: [Int] = []
                    for w in words[(t + 2)...] { counts.append(try pl.number(w, .count("free blocks"))) }
                    free.append((String(words[3]), type, counts, i + 1))
                } else {
                    guard let types = blockTypes else { throw fail("block counts before the 'Number of blocks type' header") }
                    let fields = words.dropFirst(4)
                    guard fields.count == types.count else {
                        throw fail("\(fields.count) block counts for \(types.count) migratetypes")
                    }
                    var counts: [MigrateType: Int] = [:]
                    for (t, w) in zip(types, fields) { counts[t, default: 0] += try pl.number(w, .count("pageblocks")) }
                    blocks.append((String(words[3]), counts, i + 1))
                }
            }
        }
        guard pageblockOrder >= 0 else { throw ProcFileError(file: file, line: 1, message: "no 'Page block order:' line") }
        guard !blocks.isEmpty else { throw ProcFileError(file: file, line: 1, message: "no 'Number of blocks type' table") }
    }
}
