import BuddyBounds
import BuddyCore

/// Strict parser of the oracle log. Every record is checked for its place, its arity and its
/// values; the first problem is thrown with the file and line. A log without its final `done`
/// is incomplete (the guest died or the output was cut) and is refused.
public struct OracleLogParser {
    let file: String
    var lines: [Substring] = []
    var at = 0
    /// The batch says `gfp_comp=on`: an order > 0 `foreign`/`side alloc` without ` comp` is not
    /// compound. Off (older drivers): whether it was is unknown (`ForeignEvent.compound` nil).
    var gfpComp = false

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
        var hotaddRange: Range<Int>?
        if let h = r, h.tokens[0] == "hotadd_range" {
            guard h.tokens.count == 3, let bp = memoryBlockPages else { throw fail("'hotadd_range' takes 0xSTART 0xEND after 'memory_block'", line: h.line) }
            let start = try number(h.tokens[1], "pfn", line: h.line), end = try number(h.tokens[2], "pfn", line: h.line)
            guard start < end, start % bp == 0, end % bp == 0 else {
                throw fail("hotadd_range [\(h.tokens[1]), \(h.tokens[2])) is empty or not whole memory blocks", line: h.line, at: h.tokens[1])
            }
            hotaddRange = start..<end
            r = try next()
        }
        var memmapZones: [OracleMemmapZone] = []
        while let mz = r, mz.tokens[0] == "memmap_zone" {
            memmapZones.append(try memmapZone(mz, zones))
            r = try next()
        }
        var compoundPages: [(pfn: Int, order: Int)] = []
        while let cp = r, cp.tokens[0] == "compound_page" {
            compoundPages.append(try compoundPage(cp, zones, geometry))
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
        gfpComp = batch["gfp_comp"] == "on"
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
                         elapsed: elapsed, ignored: ignored, zones: zones, memoryBlockPages: memoryBlockPages,
                         memmapZones: memmapZones, compoundPages: compoundPages, hotaddRange: hotaddRange)
    }

    /// Records the host knows between commands (anything else there is skipped and listed).
    static let knownTopLevel: Set<String> = ["cmd", "result", "state", "end", "done", "bench", "counters", "nr_free",
                                             "pageblocks", "free", "pcp", "foreign", "zone", "watermark", "cma", "geometry",
                                             "kernel", "batch", "buddylab-oracle", "lowmem_reserve", "memory_block",
                                             "memmap_zone", "compound_page", "hotadd_range"]

    struct ZoneContext {
        var name: String, startPfn: Int, spanned: Int, present: Int, managed: Int, geometry: Geometry
    }
}
