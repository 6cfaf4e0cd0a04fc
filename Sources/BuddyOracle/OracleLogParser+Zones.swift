import BuddyBounds
import BuddyCore

/// The zone records of an oracle log (PROTOCOL.md, "Log"): `zone`, `watermark` and, on x86_64,
/// `lowmem_reserve` — in the header once per zone, and on x86_64 again inside every state.
extension OracleLogParser {
    /// A header zone: its `zone` record `z`, then `watermark` and an optional `lowmem_reserve`.
    mutating func zoneBlock(_ z: (tokens: [Substring], line: Int), _ g: Geometry) throws(OracleLogError) -> OracleZone {
        guard z.tokens.count >= 2 else { throw fail("'zone' needs a name", line: z.line) }
        var zone = OracleZone(name: String(z.tokens[1]), startPfn: 0, spanned: 0, present: 0, managed: 0,
                              watermarks: ZoneWatermarks(min: 0, low: 0, high: 0, boost: 0))
        try zoneField(z, g, into: &zone)
        try zoneField(try expect("watermark"), g, into: &zone)
        // `lowmem_reserve` is optional (User-Mode Linux logs have none): look ahead one record.
        let mark = at
        if let r = try next(), r.tokens[0] == "lowmem_reserve" { try zoneField(r, g, into: &zone) } else { at = mark }
        return zone
    }

    /// One `zone`, `watermark` or `lowmem_reserve` record of the zone `into` names, read into it.
    func zoneField(_ r: (tokens: [Substring], line: Int), _ g: Geometry, into zone: inout OracleZone) throws(OracleLogError) {
        let t = r.tokens, line = r.line
        guard t.count >= 2 else { throw fail("'\(t[0])' needs the zone name", line: line) }
        guard t[1] == zone.name else { throw fail("'\(t[0]) \(t[1])' where a record of zone \(zone.name) belongs", line: line, at: t[1]) }
        switch t[0] {
        case "zone":
            let v = try keyed(t, from: 2, ["start_pfn", "spanned", "present", "managed"], line: line)
            // The zone is built as a machine: the 4 TiB cap and the kernel's managed ≤ present ≤ spanned.
            guard v[1] <= InputBounds.maxBytes >> g.pageShift, v[0] + v[1] < InputBounds.pfnLimit else {
                throw fail("zone spans \(v[1]) pages: more than 4 TiB (the largest machine buddylab simulates)", line: line, at: t[3])
            }
            guard v[2] <= v[1] else { throw fail("present \(v[2]) exceeds spanned \(v[1])", line: line, at: t[4]) }
            guard v[3] <= v[2] else { throw fail("managed \(v[3]) exceeds present \(v[2])", line: line, at: t[5]) }
            zone.startPfn = v[0]; zone.spanned = v[1]; zone.present = v[2]; zone.managed = v[3]
        case "watermark":
            let v = try keyed(t, from: 2, ["min", "low", "high", "boost"], line: line)
            zone.watermarks = ZoneWatermarks(min: v[0], low: v[1], high: v[2], boost: v[3])
        case "lowmem_reserve":
            guard (3...10).contains(t.count) else { throw fail("'lowmem_reserve' needs one count per zone type (1–8)", line: line) }
            var v: [Int] = []
            for tok in t[2...] { v.append(try number(tok, "lowmem_reserve", line: line)) }
            zone.lowmemReserve = v
        default:
            throw fail("'\(t[0])' is not a zone record", line: line)
        }
    }
}

extension OracleLogParser {
    /// `memmap_zone ZONE 0xSTART 0xEND OWNER`: both zones in the header, `[START, END)` a
    /// non-empty range inside ZONE's span, OWNER another zone.
    func memmapZone(_ r: (tokens: [Substring], line: Int), _ zones: [OracleZone]) throws(OracleLogError) -> OracleMemmapZone {
        let t = r.tokens
        guard t.count == 5 else { throw fail("'memmap_zone' takes ZONE 0xSTART 0xEND OWNER", line: r.line) }
        guard let zone = zones.first(where: { $0.name == t[1] }) else { throw fail("memmap_zone names no header zone '\(t[1])'", line: r.line, at: t[1]) }
        guard zones.contains(where: { $0.name == t[4] }), t[4] != t[1] else {
            throw fail("memmap_zone owner '\(t[4])' is not another header zone", line: r.line, at: t[4])
        }
        let start = try number(t[2], "pfn", line: r.line), end = try number(t[3], "pfn", line: r.line)
        guard start < end, start >= zone.startPfn, end <= zone.startPfn + zone.spanned else {
            throw fail("memmap_zone [\(t[2]), \(t[3])) is empty or outside zone \(zone.name)'s span", line: r.line, at: t[2])
        }
        return OracleMemmapZone(zone: zone.name, pfns: start..<end, owner: String(t[4]))
    }

    /// `compound_page ZONE 0xPFN ORDER`: a header zone, an order from pageblock order to max
    /// order, PFN aligned to it and the page inside the zone's span.
    func compoundPage(_ r: (tokens: [Substring], line: Int), _ zones: [OracleZone], _ g: Geometry) throws(OracleLogError) -> (pfn: Int, order: Int) {
        let t = r.tokens
        guard t.count == 4 else { throw fail("'compound_page' takes ZONE 0xPFN ORDER", line: r.line) }
        guard let zone = zones.first(where: { $0.name == t[1] }) else { throw fail("compound_page names no header zone '\(t[1])'", line: r.line, at: t[1]) }
        let pfn = try number(t[2], "pfn", line: r.line), order = try number(t[3], "order", line: r.line)
        guard (g.pageblockOrder...g.maxOrder).contains(order), pfn & ((1 << order) - 1) == 0 else {
            throw fail("compound_page order \(order) at \(t[2]): not between pageblock and max order, or the pfn is not aligned to it", line: r.line, at: t[3])
        }
        guard pfn >= zone.startPfn, pfn + (1 << order) <= zone.startPfn + zone.spanned else {
            throw fail("compound_page \(t[2]) order \(order) is outside zone \(zone.name)'s span", line: r.line, at: t[2])
        }
        return (pfn, order)
    }
}
