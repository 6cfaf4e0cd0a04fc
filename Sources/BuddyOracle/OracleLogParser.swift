import BuddyBounds
import BuddyCore

/// Strict parser of the oracle log. Every record is checked for its place, its arity and its
/// values; the first problem is thrown with the file and line. A log without its final `done`
/// is incomplete (the guest died or the output was cut) and is refused.
public struct OracleLogParser {
    let file: String
    var lines: [Substring] = []
    var at = 0

    public static func parse(_ text: String, file: String) throws(OracleLogError) -> OracleLog {
        var p = OracleLogParser(file: file)
        // Split on the bytes, not on Characters: the log is ASCII, and grapheme breaking over a
        // 10^5-command log (280 MB) was most of its parse time.
        let whole = Substring(text)
        let u = whole.utf8
        var start = u.startIndex
        var hash: String.Index?
        var i = u.startIndex
        while i < u.endIndex {
            let b = u[i]
            if b == 0x0A {
                // Trailing `# …` comments are allowed (the protocol's own example carries them).
                p.lines.append(whole[start..<(hash ?? i)])
                start = u.index(after: i)
                hash = nil
            } else if b == 0x23, hash == nil {
                hash = i
            }
            i = u.index(after: i)
        }
        p.lines.append(whole[start..<(hash ?? u.endIndex)])
        return try p.parseLog()
    }

    /// The space-separated tokens of a record (bytes, not Characters: see `parse`).
    static func tokens(_ l: Substring) -> [Substring] {
        var out: [Substring] = []
        let u = l.utf8
        var i = u.startIndex
        while i < u.endIndex {
            while i < u.endIndex, u[i] == 0x20 { i = u.index(after: i) }
            if i == u.endIndex { break }
            var j = i
            while j < u.endIndex, u[j] != 0x20 { j = u.index(after: j) }
            out.append(l[i..<j])
            i = j
        }
        return out
    }

    func fail(_ message: String, line: Int? = nil, at token: Substring? = nil) -> OracleLogError {
        let l = line ?? at
        // The offending token's column; for a record that is wrong as a whole, its first token's.
        var column = 0
        if l >= 1, l <= lines.count {
            let record = lines[l - 1]
            if let token, token.startIndex >= record.startIndex, token.startIndex <= record.endIndex {
                column = record.utf8.distance(from: record.startIndex, to: token.startIndex) + 1
            } else {
                column = (record.utf8.firstIndex { $0 != 0x20 }.map { record.utf8.distance(from: record.startIndex, to: $0) } ?? 0) + 1
            }
        }
        return OracleLogError(file: file, line: l, column: column, message: message)
    }

    /// Next non-blank record as tokens, with its 1-based line number.
    /// `error line N: MSG` (the driver refused the batch) and `overflow` (its log buffer filled)
    /// end the log early wherever they appear: they are reported as what they are.
    mutating func next() throws(OracleLogError) -> (tokens: [Substring], line: Int)? {
        while at < lines.count {
            let l = lines[at]; at += 1
            let t = Self.tokens(l)
            if t.isEmpty { continue }
            if t[0] == "error" { throw fail("the driver refused the batch: \(l)") }
            if t[0] == "overflow" { throw fail("the driver's log buffer overflowed (\(l)): the log stops here; run fewer commands per batch") }
            return (t, at)
        }
        return nil
    }

    mutating func expect(_ keyword: String) throws(OracleLogError) -> (tokens: [Substring], line: Int) {
        guard let r = try next() else { throw fail("log ends where a '\(keyword)' record was expected (incomplete log: no 'done')") }
        guard r.tokens[0] == keyword else { throw fail("expected a '\(keyword)' record, found '\(r.tokens[0])'", line: r.line) }
        return r
    }

    mutating func expect(oneOf keywords: [String]) throws(OracleLogError) -> (tokens: [Substring], line: Int) {
        guard let r = try next() else { throw fail("log ends where a '\(keywords[0])' record was expected (incomplete log: no 'done')") }
        guard keywords.contains(String(r.tokens[0])) else {
            throw fail("expected a '\(keywords[0])' record, found '\(r.tokens[0])'", line: r.line)
        }
        return r
    }

    /// A field read into its range (`InputBounds`): orders 0…15, pfns below 2^52, every other
    /// count up to 2^40 — what lets `Machine+Import` and `SimulatedKernel` add and shift freely.
    func number(_ s: Substring, _ what: String, line: Int) throws(OracleLogError) -> Int {
        let domain: NumberDomain = switch what {
        case "order", "max_order", "pageblock_order": .order(what)
        case "pfn", "pageblock start", "start_pfn", "base_pfn": .pfn(what)
        case "page_shift": NumberDomain(what, 0...30)
        default: .count(what)
        }
        switch BoundedNumber.parse(text: s, domain) {
        case .success(let v): return v
        case .failure(let problem): throw fail("\(problem)", line: line, at: s)
        }
    }

    /// `key=value` tokens in the given order.
    func keyed(_ t: [Substring], from: Int, _ keys: [String], line: Int) throws(OracleLogError) -> [Int] {
        guard t.count == from + keys.count else {
            throw fail("'\(t[0])' needs \(keys.map { $0 + "=" }.joined(separator: " ")), got \(t.count - from) fields", line: line)
        }
        var out: [Int] = []
        for (k, key) in keys.enumerated() {
            let tok = t[from + k]
            guard tok.hasPrefix(key + "=") else { throw fail("expected '\(key)=' in '\(t[0])', found '\(tok)'", line: line, at: tok) }
            out.append(try number(tok.dropFirst(key.count + 1), key, line: line))
        }
        return out
    }

    mutating func parseLog() throws(OracleLogError) -> OracleLog {
        let h = try expect("buddylab-oracle")
        // 1: handles numbered per successful command; 2: a command's handle is its index.
        guard h.tokens.count == 2, let version = Int(h.tokens[1]), (1...2).contains(version) else {
            throw fail("unsupported protocol version (this host speaks 1 and 2)", line: h.line)
        }
        let k = try expect("kernel")
        guard k.tokens.count == 2 else { throw fail("'kernel' takes one version", line: k.line) }
        let g = try expect("geometry")
        let gv = try keyed(g.tokens, from: 1, ["page_shift", "max_order", "pageblock_order"], line: g.line)
        guard (10...20).contains(gv[0]), (1...15).contains(gv[1]), gv[2] <= gv[1] else { throw fail("implausible geometry", line: g.line) }
        let geometry = Geometry(pageShift: gv[0], maxOrder: gv[1], pageblockOrder: gv[2])
        // One or more zones (x86_64: DMA, DMA32, Normal), each `zone`, `watermark` and an
        // optional `lowmem_reserve`; then the optional `memory_block` (OracleLogParser+Zones).
        var r = try next()
        var zones: [OracleZone] = []
        while let z = r, z.tokens[0] == "zone" {
            let zone = try zoneBlock(z, geometry)
            guard !zones.contains(where: { $0.name == zone.name }) else { throw fail("second 'zone \(zone.name)' record in the header", line: z.line) }
            if let last = zones.last, zone.startPfn < last.startPfn + last.spanned {
                throw fail("zone \(zone.name) starts inside zone \(last.name)", line: z.line, at: z.tokens[2])
            }
            zones.append(zone)
            r = try next()
        }
        guard let first = zones.first else { throw fail("expected a 'zone' record, found '\(r?.tokens[0] ?? "end of log")'", line: r?.line ?? at) }
        var memoryBlockPages: Int?
        if let mb = r, mb.tokens[0] == "memory_block" {
            let v = try keyed(mb.tokens, from: 1, ["pages"], line: mb.line)
            guard v[0] > 0, v[0] & (v[0] - 1) == 0 else { throw fail("memory_block pages=\(v[0]) is not a power of two", line: mb.line, at: mb.tokens[1]) }
            memoryBlockPages = v[0]
            r = try next()
        }
        var cma: (String, Int, Int)?
        if let c = r, c.tokens[0] == "cma" {
            guard c.tokens.count >= 2 else { throw fail("'cma' needs a name", line: c.line) }
            let cv = try keyed(c.tokens, from: 2, ["base_pfn", "count"], line: c.line)
            guard zones.contains(where: { cv[0] >= $0.startPfn && cv[0] + cv[1] <= $0.startPfn + $0.spanned }) else {
                throw fail("cma area [\(cv[0]), +\(cv[1])) is outside every zone", line: c.line, at: c.tokens[2])
            }
            cma = (String(c.tokens[1]), cv[0], cv[1])
            r = try next()
        }
        var batch: [String: String] = [:]
        if let b = r, b.tokens[0] == "batch" {
            for tok in b.tokens.dropFirst() {
                let kv = tok.split(separator: "=", maxSplits: 1)
                guard kv.count == 2 else { throw fail("'batch' fields are key=value, not '\(tok)'", line: b.line, at: tok) }
                batch[String(kv[0])] = String(kv[1])
            }
            r = try next()
        }
        let ctx = zones.map { ZoneContext(name: $0.name, startPfn: $0.startPfn, spanned: $0.spanned, present: $0.present, managed: $0.managed, geometry: geometry) }
        guard let s0 = r, s0.tokens[0] == "state" else { throw fail("expected 'state 0' after the header", line: r?.line ?? at) }
        let initial = try parseState(s0, index: 0, ctx)
        var steps: [OracleStep] = []
        var elapsed: (commands: Int, ns: Int)?
        var ignored: [(line: Int, record: String)] = []
        while true {
            guard let c = try next() else { throw fail("log ends without 'done' (incomplete: the guest stopped or the output was cut)") }
            if c.tokens[0] == "elapsed" {
                let v = try keyed(c.tokens, from: 1, ["commands", "ns"], line: c.line)
                elapsed = (v[0], v[1])
                continue
            }
            // An interactive batch's driver waited for the host's commands here (PROTOCOL.md).
            if c.tokens[0] == "ready", c.tokens.count == 1, steps.isEmpty { continue }
            if !Self.knownTopLevel.contains(String(c.tokens[0])) {
                // PROTOCOL.md: "a parser should ignore records it does not know" — between
                // commands only; inside a state every record must be known (it could carry state).
                ignored.append((c.line, String(c.tokens[0])))
                continue
            }
            if c.tokens[0] == "done" {
                guard c.tokens.count == 1 else { throw fail("'done' takes no fields", line: c.line) }
                if let extra = try next() { throw fail("record '\(extra.tokens[0])' after 'done'", line: extra.line) }
                break
            }
            guard c.tokens[0] == "cmd" else { throw fail("expected 'cmd \(steps.count + 1)' or 'done', found '\(c.tokens[0])'", line: c.line) }
            let n = steps.count + 1
            guard c.tokens.count >= 3, try number(c.tokens[1], "command number", line: c.line) == n else {
                throw fail("expected command number \(n)", line: c.line)
            }
            let command: OracleCommand
            do { command = try OracleCommand.parse(lines[c.line - 1][c.tokens[2].startIndex...]) }
            catch { throw fail(error.message, line: c.line, at: error.token) }
            var bench: [String] = []
            var res = try expect(oneOf: ["result", "bench"])
            while res.tokens[0] == "bench" {
                bench.append(res.tokens.joined(separator: " "))
                res = try expect(oneOf: ["result", "bench"])
            }
            guard res.tokens.count >= 3, try number(res.tokens[1], "command number", line: res.line) == n else {
                throw fail("expected 'result \(n) …'", line: res.line)
            }
            let result = try parseResult(Array(res.tokens[2...]), line: res.line)
            let st = try expect("state")
            let state = try parseState(st, index: n, ctx)
            steps.append(OracleStep(index: n, command: command, result: result, state: state, line: c.line, bench: bench))
        }
        return OracleLog(protocolVersion: version, kernel: String(k.tokens[1]), geometry: geometry, zoneName: first.name,
                         watermarks: first.watermarks, cma: cma, batch: batch, initial: initial, steps: steps,
                         elapsed: elapsed, ignored: ignored, zones: zones, memoryBlockPages: memoryBlockPages)
    }

    /// Records the host knows between commands (anything else there is skipped and listed).
    static let knownTopLevel: Set<String> = ["cmd", "result", "state", "end", "done", "bench", "counters", "nr_free",
                                             "pageblocks", "free", "pcp", "foreign", "zone", "watermark", "cma", "geometry",
                                             "kernel", "batch", "buddylab-oracle", "lowmem_reserve", "memory_block"]

    struct ZoneContext {
        var name: String, startPfn: Int, spanned: Int, present: Int, managed: Int, geometry: Geometry
    }

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
        guard ["ok", "enomem", "ebusy", "einval", "fail"].contains(status) else {
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
                guard t.count <= 5 else { throw fail("too many fields in '\(t[0])'", line: line) }
                let e = ForeignEvent(isAlloc: t[1] == "alloc", pfn: pfn, order: o, type: type)
                if t[0] == "side" { side.append(e) } else { foreign.append(e) }
            default:
                throw fail("unknown record '\(t[0])' inside state \(index)", line: line)
            }
        }
    }
}
