import BuddyCore
import BuddyYAML

/// `ops:` — the exact script.
///
/// Pfn ranges are deliberately *not* confined to RAM: a scripted op may probe a pfn the machine
/// does not have, and the engine answers as the kernel's `pfn_valid()` checks would (`einval`,
/// or `ebusy` for isolation). What is refused here is what the kernel API forbids outright
/// (an isolation range that is not pageblock aligned) and buddylab's own numbering gone wrong
/// (a memory block or zone that does not exist).
extension WorkloadDecoder {
    static let opKinds = ["alloc", "free", "isolate", "unisolate", "contig", "cma_declare", "offline", "online",
                          "watermark", "reserve_highatomic", "compact", "sample"]

    mutating func decodeOps(_ node: YAMLNode, _ ctx: String) throws(YAMLDecodeError) -> [ScriptedOp] {
        let items = try reader.sequence(node)
        guard !items.isEmpty else { throw reader.error("ops must list at least one op", at: node) }
        var ops: [ScriptedOp] = []
        for (i, item) in items.enumerated() {
            let outer = try reader.mapping(item, context: "\(ctx)[\(i)]")
            let (kind, value) = try outer.singleEntry(of: Self.opKinds)
            let (opKind, label) = try decodeOp(kind, value, context: "\(ctx)[\(i)].\(kind)")
            let index: Int
            if case .sample = opKind { index = -1 } else { index = scriptedOps.count }
            var op = ScriptedOp(index: index, kind: opKind, line: item.mark.line, label: label)
            if kind == "alloc" || kind == "free", let n = value.mapping?.first(where: { $0.key.scalar == "cpu" })?.value {
                op.cpu = try reader.int(n, in: 0...(layout.cpus - 1))
                op.label += " on cpu \(op.cpu)"
            }
            if index >= 0 { scriptedOps.append(op) }
            ops.append(op)
        }
        return ops
    }

    private mutating func decodeOp(_ kind: String, _ value: YAMLNode,
                                   context: String) throws(YAMLDecodeError) -> (ScriptedOp.Kind, String) {
        switch kind {
        case "alloc":
            return try decodeAlloc(value, context)
        case "free":
            // `free: NAME`, or `free: { name: NAME, cpu: N }` to run it on another CPU.
            var nameNode = value
            if value.mapping != nil {
                let m = try reader.mapping(value, context: context).allowing(["name", "cpu"])
                nameNode = try m.required("name")
            }
            let name = try reader.string(nameNode)
            guard let entry = requestNames[name] else {
                let hint = EditDistance.nearest(to: name, in: requestNames.keys.sorted()).map { "; did you mean '\($0)'?" } ?? ""
                throw reader.error("free: no earlier alloc is named '\(name)' (name it with as: \(name))\(hint)", at: nameNode)
            }
            guard !entry.freed else { throw reader.error("request '\(name)' is already freed", at: nameNode) }
            requestNames[name]?.freed = true
            return (.free(name: name), "free \(name)")
        case "isolate", "unisolate", "contig":
            let keys = kind == "contig" ? ["start", "pages", "hold"] : ["start", "pages"]
            let m = try reader.mapping(value, context: context).allowing(keys)
            let startNode = try m.required("start")
            let start = try units.pfn(startNode, bareIsPfn: true)
            let pagesNode = try m.required("pages")
            let pages = try reader.int(pagesNode, in: 1...PageUnits.limit)
            let label = "\(kind) \(Hex.string(start))+\(pages)"
            if kind == "contig" {
                var hold = false
                if let n = m.optional("hold") { hold = try reader.bool(n) }
                return (.contig(start: start, pages: pages, hold: hold), label + (hold ? " hold" : ""))
            }
            let pb = layout.geometry.pageblockPages
            guard start % pb == 0 else {
                throw reader.error("\(kind) start \(Hex.string(start)) must be pageblock aligned (\(pb) pages)", at: startNode)
            }
            guard pages % pb == 0 else {
                throw reader.error("\(kind) pages must be a multiple of the pageblock (\(pb) pages)", at: pagesNode)
            }
            return (kind == "isolate" ? .isolate(start: start, pages: pages) : .unisolate(start: start, pages: pages), label)
        case "cma_declare":
            let m = try reader.mapping(value, context: context).allowing(["base", "size"])
            let baseNode = try m.required("base")
            let base = try units.pfn(baseNode, bareIsPfn: false)
            let pages = try units.pages(m.required("size"), what: "size")
            return (.cmaDeclare(basePfn: base, pages: pages), "cma_declare \(Hex.string(base))+\(pages)")
        case "offline", "online":
            let m = try reader.mapping(value, context: context).allowing(["block"])
            let b = try block(m.required("block"))
            return (kind == "offline" ? .offline(block: b) : .online(block: b), "\(kind) block \(b)")
        case "watermark":
            let m = try reader.mapping(value, context: context).allowing(["zone", "mark", "order"])
            let zone = try zoneIndex(m.required("zone"))
            let marks = ["min", "low", "high"]
            let mark = try reader.choice(m.required("mark"), from: marks, what: "watermark mark")
            var order = 0
            if let n = m.optional("order") { order = try reader.int(n, in: 0...layout.geometry.maxOrder) }
            return (.watermark(zone: zone, mark: marks.firstIndex(of: mark) ?? 0, order: order),
                    "watermark \(layout.zones[zone].name) \(mark) order \(order)")
        case "reserve_highatomic":
            let m = try reader.mapping(value, context: context).allowing(["pfn"])
            let pfn = try units.pfn(m.required("pfn"), bareIsPfn: true)
            return (.reserveHighatomic(pfn: pfn), "reserve_highatomic \(Hex.string(pfn))")
        case "compact":
            // compact: { zone, order?, priority? } — Compaction/ in BuddyCore.
            let m = try reader.mapping(value, context: context).allowing(["zone", "order", "priority"])
            let zone = try zoneIndex(m.required("zone"))
            var order: Int?
            if let n = m.optional("order") { order = try reader.int(n, in: 1...layout.geometry.maxOrder) }
            var priority = CompactPriority.async
            if let n = m.optional("priority") {
                guard order != nil else { throw reader.error("compact: priority: needs order: (compact_memory always runs MIGRATE_SYNC)", at: n) }
                let name = try reader.choice(n, from: CompactPriority.allCases.map(\.name), what: "compaction priority")
                priority = CompactPriority.allCases.first { $0.name == name } ?? .async
            }
            let zname = layout.zones[zone].name
            return (.compact(zone: zone, order: order, priority: priority),
                    order.map { "compact \(zname) order \($0) \(priority.name)" } ?? "compact \(zname) (compact_memory)")
        default:
            let what = try reader.choice(value, from: ["drift", "contig_phase"], what: "sample series")
            return (.sample(what == "drift" ? .drift : .contigPhase), "sample \(what)")
        }
    }

    /// `alloc: { pfn?, order, type, compound?, as?, zone? }`.
    private mutating func decodeAlloc(_ value: YAMLNode, _ context: String) throws(YAMLDecodeError) -> (ScriptedOp.Kind, String) {
        let m = try reader.mapping(value, context: context).allowing(["pfn", "order", "type", "compound", "as", "zone", "cpu", "gfp"])
        var order = 0
        if let n = m.optional("order") { order = try reader.int(n, in: 0...layout.geometry.maxOrder) }
        var gfp: GFPMask?
        if let n = m.optional("gfp") { gfp = try decodeGFPMask(n) }
        if gfp == nil { _ = try m.required("type") }   // the usual "missing key" message
        let type = try requestType(type: m.optional("type"), gfp: gfp)
        let typeName = type.name
        var compound: Bool?
        if let n = m.optional("compound") { compound = try reader.bool(n) }
        var pfn: Int?
        if let n = m.optional("pfn") {
            pfn = try units.pfn(n, bareIsPfn: true)
        }
        var zone: Int?
        if let n = m.optional("zone") {
            guard pfn == nil else { throw reader.error("zone: cannot be combined with pfn: (the pfn fixes the zone)", at: n) }
            zone = try zoneIndex(n)
        }
        var name: String?
        if let n = m.optional("as") {
            let rule = IdentifierRule(pattern: "[A-Za-z0-9_-]+") ?? .slug
            let text = try reader.identifier(n, rule: rule, what: "request name")
            if let earlier = requestNames[text] {
                throw reader.error("request name '\(text)' is already used by the alloc at line \(earlier.line)", at: n)
            }
            requestNames[text] = (n.mark.line, false)
            name = text
        }
        var label = "alloc"
        if let pfn { label += " pfn \(Hex.string(pfn))" }
        label += " order \(order) \(typeName)"
        if let zone { label += " in \(layout.zones[zone].name)" }
        if let gfp { label += " gfp \(gfp.description)" }
        if let compound { label += compound ? " compound" : " not compound" }
        if let name { label += " as \(name)" }
        return (.alloc(pfn: pfn, order: order, type: type, compound: compound, zone: zone, name: name, gfp: gfp), label)
    }
}
