import BuddyBounds
import BuddyCore

/// The per-state records of an oracle log (`state N` … `end`, PROTOCOL.md "Log"): every zone's
/// counters, free lists and pageblocks, pcp lists, LRU runs, anon records and the page events
/// made meanwhile; and a command's `result` line.
extension OracleLogParser {
    /// The index of the header zone a state record names.
    func zoneIndex(_ t: [Substring], _ ctx: [ZoneContext], _ line: Int) throws(OracleLogError) -> Int {
        guard t.count >= 2 else { throw fail("'\(t[0])' needs the zone name", line: line) }
        guard let i = ctx.firstIndex(where: { $0.name == t[1] }) else {
            throw fail("zone '\(t[1])' is not a zone of the header (\(ctx.map(\.name).joined(separator: " ")))", line: line, at: t[1])
        }
        return i
    }

    func parseResult(_ t: [Substring], line: Int) throws(OracleLogError) -> OracleResult {
        let status = t[0]
        if status.hasPrefix("errno=") {
            _ = try number(status.dropFirst(6), "errno", line: line)
            guard t.count == 1 else { throw fail("'errno=N' takes no further fields", line: line) }
            return OracleResult(String(status))
        }
        guard ["ok", "enomem", "ebusy", "einval", "fail"].contains(status) || OracleResult.compactResults.contains(String(status)) else {
            throw fail("unknown result '\(status)'", line: line, at: status)
        }
        var r = OracleResult(String(status))
        for tok in t.dropFirst() {
            if tok.hasPrefix("handle=") { r.handle = try number(tok.dropFirst(7), "handle", line: line) }
            else if tok.hasPrefix("pfn=") { r.pfn = try number(tok.dropFirst(4), "pfn", line: line) }
            else if tok.hasPrefix("pages=") { r.pages = try number(tok.dropFirst(6), "page count", line: line) }
            else { throw fail("unknown result field '\(tok)'", line: line, at: tok) }
        }
        guard status == "ok" || (r.handle == nil && r.pfn == nil && r.pages == nil) else { throw fail("'\(status)' carries no handle, pfn or pages", line: line) }
        return r
    }

    mutating func parseState(_ head: (tokens: [Substring], line: Int), index: Int, _ ctx: [ZoneContext]) throws(OracleLogError) -> OracleState {
        guard head.tokens.count == 2, try number(head.tokens[1], "state number", line: head.line) == index else {
            throw fail("expected 'state \(index)'", line: head.line)
        }
        let g = ctx[0].geometry
        var snaps = ctx.map { c in
            ZoneSnapshot(startPfn: c.startPfn, spanned: c.spanned, present: c.present, managed: c.managed,
                         nrFreePages: 0, nrFreeCMAPages: 0, nrFree: [], pageblockStart: 0, pageblocks: [],
                         freeLists: ZoneSnapshot.emptyLists(orders: g.orderCount))
        }
        var seen: [Set<String>] = Array(repeating: [], count: ctx.count)
        var seenLists: [Set<Int>] = Array(repeating: [], count: ctx.count)
        var records: [OracleZone?] = Array(repeating: nil, count: ctx.count)
        var pcp: [(Int, Int, MigrateType, [Int])] = []
        var pcpSets: [OraclePCPSet] = [], pcpCached: [OraclePCPCached] = []
        var foreign: [ForeignEvent] = []
        var foreignLost = 0
        var side: [ForeignEvent] = []
        var compaction: [String] = []
        var noMemmap: [[Int]] = Array(repeating: [], count: ctx.count)
        var anon: [AnonPages] = []
        var zoneCompaction: [OracleZoneCompaction?] = Array(repeating: nil, count: ctx.count)
        while true {
            guard let r = try next() else { throw fail("state \(index) (line \(head.line)) has no 'end'") }
            let t = r.tokens, line = r.line
            switch t[0] {
            case "end":
                guard t.count == 1 else { throw fail("'end' takes no fields", line: line) }
                for (z, c) in ctx.enumerated() {
                    for needed in ["counters", "nr_free", "pageblocks"] where !seen[z].contains(needed) {
                        throw fail("state \(index) (line \(head.line)) has no '\(needed) \(c.name)' record", line: line)
                    }
                }
                let zoneRecords = records.compactMap { $0 }
                guard zoneRecords.isEmpty || zoneRecords.count == ctx.count else {
                    throw fail("state \(index) (line \(head.line)) has 'zone' records for \(zoneRecords.count) of \(ctx.count) zones", line: line)
                }
                var state = OracleState(snapshot: snaps[0], pcp: pcp, foreign: foreign, foreignLost: foreignLost, side: side,
                                   foreignCompaction: compaction, noMemmapBlocks: noMemmap[0], anon: anon, line: head.line,
                                   otherZones: Array(snaps.dropFirst()), zoneRecords: zoneRecords,
                                   otherNoMemmap: Array(noMemmap.dropFirst()))
                state.pcpSets = pcpSets; state.pcpCached = pcpCached
                state.compaction = zoneCompaction.compactMap { $0 }
                return state
            case "zone", "watermark", "lowmem_reserve":
                // x86_64: the zone's span, counts, marks and reserves as of this state.
                let z = try zoneIndex(t, ctx, line)
                guard !seen[z].contains(String(t[0])) else { throw fail("second '\(t[0]) \(t[1])' record in state \(index)", line: line) }
                seen[z].insert(String(t[0]))
                var rec = records[z] ?? OracleZone(name: ctx[z].name, startPfn: snaps[z].startPfn, spanned: snaps[z].spanned,
                                                   present: snaps[z].present, managed: snaps[z].managed,
                                                   watermarks: ZoneWatermarks(min: 0, low: 0, high: 0, boost: 0))
                try zoneField((t, line), g, into: &rec)
                if t[0] == "zone" {
                    guard !seen[z].contains("counters") else { throw fail("'zone \(t[1])' must come before its 'counters'", line: line) }
                    snaps[z].startPfn = rec.startPfn; snaps[z].spanned = rec.spanned
                    snaps[z].present = rec.present; snaps[z].managed = rec.managed
                }
                records[z] = rec
            case "counters", "nr_free", "pageblocks":
                let z = try zoneIndex(t, ctx, line)
                guard !seen[z].contains(String(t[0])) else { throw fail("second '\(t[0]) \(t[1])' record in state \(index)", line: line) }
                seen[z].insert(String(t[0]))
                if t[0] == "counters" {
                    let v = try keyed(t, from: 2, ["nr_free_pages", "nr_free_cma_pages"], line: line)
                    snaps[z].nrFreePages = v[0]; snaps[z].nrFreeCMAPages = v[1]
                } else if t[0] == "nr_free" {
                    guard t.count == 2 + g.orderCount else { throw fail("'nr_free' needs \(g.orderCount) counts (orders 0..\(g.maxOrder)), got \(t.count - 2)", line: line) }
                    snaps[z].nrFree = []
                    for tok in t[2...] { snaps[z].nrFree.append(try number(tok, "nr_free", line: line)) }
                } else {
                    guard t.count == 4 else { throw fail("'pageblocks' needs a start pfn and one character per pageblock", line: line) }
                    let start = try number(t[2], "pageblock start", line: line)
                    guard t[3].utf8.count <= snaps[z].spanned / g.pageblockPages + 2 else {
                        throw fail("\(t[3].utf8.count) pageblocks in a zone of \(snaps[z].spanned) pages", line: line, at: t[3])
                    }
                    guard start % g.pageblockPages == 0 else { throw fail("pageblock start \(t[2]) is not pageblock aligned", line: line, at: t[2]) }
                    var types: [MigrateType] = []
                    types.reserveCapacity(t[3].utf8.count)
                    for (k, c) in t[3].utf8.enumerated() {
                        if c == UInt8(ascii: "-") { noMemmap[z].append(k); types.append(.movable); continue }
                        guard let mt = MigrateType.fromPageblockChar(c) else {
                            throw fail("pageblock character '\(Character(Unicode.Scalar(c)))' at position \(k) is none of U M R H C I -", line: line,
                                       at: t[3].dropFirst(k))
                        }
                        types.append(mt)
                    }
                    snaps[z].pageblockStart = start
                    snaps[z].pageblocks = types
                }
            case "free":
                let z = try zoneIndex(t, ctx, line)
                guard t.count >= 5 else { throw fail("'free' needs an order, a list and at least one pfn (empty lists are left out)", line: line) }
                let o = try number(t[2], "order", line: line)
                guard o <= g.maxOrder else { throw fail("order \(o) above max_order \(g.maxOrder)", line: line, at: t[2]) }
                guard let mt = oracleListNames.firstIndex(of: String(t[3])) else {
                    throw fail("unknown list '\(t[3])' (\(oracleListNames.joined(separator: " ")))", line: line, at: t[3])
                }
                guard seenLists[z].insert(o * MigrateType.count + mt).inserted else {
                    throw fail("second 'free' record for order \(o) \(t[3]) in state \(index)", line: line)
                }
                var pfns: [Int] = []
                pfns.reserveCapacity(t.count - 4)
                for tok in t[4...] { pfns.append(try number(tok, "pfn", line: line)) }
                snaps[z].freeLists[o][mt] = pfns
            case "pcp":
                _ = try zoneIndex(t, ctx, line)
                guard t.count >= 5 else { throw fail("'pcp' needs cpu, order and list", line: line) }
                let cpu = try number(t[2], "cpu", line: line), o = try number(t[3], "order", line: line)
                guard o <= g.maxOrder else { throw fail("order \(o) above max_order \(g.maxOrder)", line: line, at: t[3]) }
                guard let mt = oracleListNames.firstIndex(of: String(t[4])) else { throw fail("unknown list '\(t[4])'", line: line) }
                var pfns: [Int] = []
                for tok in t[5...] { pfns.append(try number(tok, "pfn", line: line)) }
                if !pfns.isEmpty { pcp.append((cpu, o, MigrateType(rawValue: UInt8(mt)) ?? .movable, pfns)) }
            case "pcpset":
                _ = try zoneIndex(t, ctx, line)
                pcpSets.append(try parsePCPSet(t, line: line))
            case "pcpmt":
                _ = try zoneIndex(t, ctx, line)
                pcpCached.append(try parsePCPCached(t, maxOrder: g.maxOrder, line: line))
            case "lru", "lru_file":
                let z = try zoneIndex(t, ctx, line)
                for tok in t[2...] {
                    let parts = tok.split(separator: "+")
                    guard parts.count == 2 else { throw fail("'\(t[0])' runs are PFN+PAGES, not '\(tok)'", line: line) }
                    let run = (pfn: try number(parts[0], "pfn", line: line), pages: try number(parts[1], "page count", line: line))
                    if t[0] == "lru" { snaps[z].lru.append(run) } else { snaps[z].lruFile.append(run) }
                }
            case "compaction", "skip":
                let z = try zoneIndex(t, ctx, line)
                guard seen[z].insert(String(t[0])).inserted else { throw fail("second '\(t[0]) \(t[1])' record in state \(index)", line: line) }
                var rec = zoneCompaction[z] ?? OracleZoneCompaction(zone: z)
                if t[0] == "compaction" {
                    rec.fields = try parseCompactionFields(t, line: line)
                } else {
                    (rec.skipStart, rec.skip) = try parseSkipBits(t, blocks: snaps[z].spanned / g.pageblockPages + 2,
                                                                  pageblockPages: g.pageblockPages, line: line)
                }
                zoneCompaction[z] = rec
            case "anon":
                guard t.count >= 2 else { throw fail("'anon' needs a handle", line: line) }
                var pages = AnonPages(handle: try number(t[1], "handle", line: line), pfns: [])
                guard anon.last.map({ $0.handle < pages.handle }) ?? true else {
                    throw fail("anon handles must ascend", line: line, at: t[1])
                }
                pages.pfns.reserveCapacity(t.count - 2)
                for tok in t[2...] { pages.pfns.append(tok == "-" ? nil : try number(tok, "pfn", line: line)) }
                anon.append(pages)
            case "foreign" where t.count == 3 && t[1] == "lost":
                foreignLost += try number(t[2], "lost foreign events", line: line)
                guard foreignLost <= InputBounds.maxCount else { throw fail("more than 2^40 lost foreign events", line: line, at: t[2]) }
            case "foreign" where t.count >= 2 && t[1] == "compaction":
                compaction.append(t.joined(separator: " "))
            case "side" where t.count >= 2 && t[1] == "compaction":
                break   // the command's own compaction scan (contig, compact): part of what is modelled
            case "side", "foreign":
                guard t.count >= 4, t[1] == "alloc" || t[1] == "free" else {
                    throw fail("'\(t[0])' needs alloc|free, a pfn and an order", line: line)
                }
                let pfn = try number(t[2], "pfn", line: line), o = try number(t[3], "order", line: line)
                guard o <= g.maxOrder else { throw fail("order \(o) above max_order \(g.maxOrder)", line: line, at: t[3]) }
                var type = AllocType.unmovable
                if t.count >= 5 {
                    // An alloc names the requested type; a free its pageblock's (any list name).
                    if let ty = AllocType.allCases.first(where: { $0.name == t[4] }) { type = ty }
                    else if t[1] == "alloc" || !oracleListNames.contains(String(t[4])) {
                        throw fail("unknown type '\(t[4])'", line: line)
                    }
                }
                // `comp`: an alloc with __GFP_COMP (drivers that say gfp_comp=on in `batch`)
                let comp = t.count == 6 && t[5] == "comp" && t[1] == "alloc"
                guard t.count <= 5 || comp else { throw fail("too many fields in '\(t[0])'", line: line, at: t[5]) }
                var e = ForeignEvent(isAlloc: t[1] == "alloc", pfn: pfn, order: o, type: type)
                if gfpComp, e.isAlloc { e.compound = comp }
                if t[0] == "side" { side.append(e) } else { foreign.append(e) }
            default:
                throw fail("unknown record '\(t[0])' inside state \(index)", line: line)
            }
        }
    }
}
