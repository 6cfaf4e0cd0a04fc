import BuddyCore

/// A `pcpset ZONE CPU KEY=N …` record (scripts/oracle/PROTOCOL.md): one CPU's `struct
/// per_cpu_pages` fields for the zone — `count high batch` and 6.1's `free_factor` or 6.7+'s
/// `high_min high_max free_count alloc_factor flags` — and the zone flags its code reads
/// (`below_high`, `reclaim_active`). Kept by name: the host compares what each side has.
public struct OraclePCPSet: Sendable, Equatable {
    public var cpu: Int
    public var fields: [String: Int]
    public init(cpu: Int, fields: [String: Int]) { self.cpu = cpu; self.fields = fields }
}

/// A `pcpmt ZONE CPU ORDER LIST CHARS` record (kernels ≤ 6.9): the migratetype cached on each
/// page of that pcp list (`get_pcppage_migratetype`, `page->index`), head first, one pageblock
/// character per page — what `free_pcppages_bulk` will free it with.
public struct OraclePCPCached: Sendable, Equatable {
    public var cpu: Int
    public var order: Int
    public var list: MigrateType
    public var types: [MigrateType]
    public init(cpu: Int, order: Int, list: MigrateType, types: [MigrateType]) {
        self.cpu = cpu; self.order = order; self.list = list; self.types = types
    }
}

extension OracleLogParser {
    /// `pcpset ZONE CPU KEY=N …`: at least `count`, `high` and `batch`, no key twice.
    func parsePCPSet(_ t: [Substring], line: Int) throws(OracleLogError) -> OraclePCPSet {
        guard t.count >= 6 else { throw fail("'pcpset' needs a cpu and count=, high=, batch=", line: line) }
        let cpu = try number(t[2], "cpu", line: line)
        var fields: [String: Int] = [:]
        for tok in t[3...] {
            let parts = tok.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, !parts[0].isEmpty else { throw fail("'pcpset' fields are KEY=N, not '\(tok)'", line: line, at: tok) }
            let key = String(parts[0])
            guard fields[key] == nil else { throw fail("second '\(key)=' in 'pcpset'", line: line, at: tok) }
            fields[key] = try number(parts[1], key, line: line)
        }
        for key in ["count", "high", "batch"] where fields[key] == nil {
            throw fail("'pcpset' has no '\(key)='", line: line)
        }
        return OraclePCPSet(cpu: cpu, fields: fields)
    }

    /// `pcpmt ZONE CPU ORDER LIST CHARS`.
    func parsePCPCached(_ t: [Substring], maxOrder: Int, line: Int) throws(OracleLogError) -> OraclePCPCached {
        guard t.count == 6 else { throw fail("'pcpmt' needs cpu, order, list and one type character per page", line: line) }
        let cpu = try number(t[2], "cpu", line: line), o = try number(t[3], "order", line: line)
        guard o <= maxOrder else { throw fail("order \(o) above max_order \(maxOrder)", line: line, at: t[3]) }
        guard let mt = oracleListNames.firstIndex(of: String(t[4])) else { throw fail("unknown list '\(t[4])'", line: line, at: t[4]) }
        var types: [MigrateType] = []
        for (k, c) in t[5].utf8.enumerated() {
            guard let ty = MigrateType.fromPageblockChar(c) else {
                throw fail("pcpmt character '\(Character(Unicode.Scalar(c)))' at position \(k) is none of U M R H C I", line: line,
                           at: t[5].dropFirst(k))
            }
            types.append(ty)
        }
        return OraclePCPCached(cpu: cpu, order: o, list: MigrateType(rawValue: UInt8(mt)) ?? .movable, types: types)
    }
}
