import BuddyCore

/// Describes how two engine snapshots differ, in the kernel's vocabulary.
enum StateDifference {
    /// At most this many free-block and pageblock lines (the rest are summarised).
    static let maxLines = 12

    static func describe(_ a: EngineSnapshot, _ b: EngineSnapshot, _ layout: MachineLayout,
                         _ nameA: String, _ nameB: String) -> [String]? {
        guard a != b else { return nil }
        var lines: [String] = []
        let zones = layout.zones.map(\.name)
        func counter(_ label: String, _ x: [Int], _ y: [Int]) {
            for z in x.indices where x[z] != y[z] {
                lines.append("\(label) (zone \(zones[z])): \(nameA) \(x[z]), \(nameB) \(y[z]) (\(signed(y[z] - x[z])))")
            }
        }
        counter("NR_FREE_PAGES", a.nrFreePages, b.nrFreePages)
        counter("NR_FREE_CMA_PAGES", a.nrFreeCMAPages, b.nrFreeCMAPages)
        counter("nr_isolate_pageblock", a.nrIsolatePageblock, b.nrIsolatePageblock)
        counter("managed_pages", a.managedPages, b.managedPages)
        let orders = layout.geometry.orderCount
        for i in a.nrFree.indices where a.nrFree[i] != b.nrFree[i] {
            lines.append("free_area[\(i % orders)].nr_free (zone \(zones[i / orders])): \(nameA) \(a.nrFree[i]), "
                         + "\(nameB) \(b.nrFree[i])")
        }
        if a.faults != b.faults { lines.append("faults: \(nameA) \(a.faults), \(nameB) \(b.faults)") }
        if let fa = a.freeBlocks, let fb = b.freeBlocks, fa != fb {
            lines += blockLines(fa, fb, nameA, nameB)
        } else {
            let types = MigrateType.count
            for i in a.listLengths.indices where a.listLengths[i] != b.listLengths[i] {
                let zo = i / types
                lines.append("free_area[\(zo % orders)].free_list[\(listName(MigrateType(rawValue: UInt8(i % types)) ?? .movable))] "
                             + "(zone \(zones[zo / orders])): \(nameA) \(a.listLengths[i]) blocks, \(nameB) \(b.listLengths[i])")
            }
        }
        if let pa = a.pageblockTypes, let pb = b.pageblockTypes, pa != pb {
            let diffs = pa.indices.filter { pa[$0] != pb[$0] }
            let size = 1 << layout.geometry.pageblockOrder
            for i in diffs.prefix(maxLines) {
                lines.append("pageblock at pfn \(hex(layout.ramStartPfn + i * size)): \(nameA) \(listName(pa[i])), "
                             + "\(nameB) \(listName(pb[i]))")
            }
            if diffs.count > maxLines { lines.append("… and \(diffs.count - maxLines) more pageblocks of different type") }
        }
        return lines
    }

    /// For a free that both variants did but merged differently: where each one's
    /// `__free_one_page` stopped, and the buddy that stopped the smaller merge.
    static func mergeSummary(_ oa: StepOutcome, _ ob: StepOutcome, _ a: EngineSnapshot, _ b: EngineSnapshot,
                             _ nameA: String, _ nameB: String) -> String? {
        guard oa == ob, oa.detail.hasPrefix("freed pfn "), let fa = a.freeBlocks, let fb = b.freeBlocks else { return nil }
        let words = oa.detail.split(separator: " ")
        guard words.count >= 5, let pfn = Int(words[2].dropFirst(2), radix: 16) else { return nil }
        func covering(_ blocks: [FreeBlockEntry]) -> FreeBlockEntry? {
            blocks.first { $0.pfn <= pfn && pfn < $0.pfn + (1 << $0.order) }
        }
        guard let ba = covering(fa), let bb = covering(fb), ba != bb else { return nil }
        func text(_ x: FreeBlockEntry, _ other: FreeBlockEntry, _ mine: [FreeBlockEntry]) -> String {
            guard x.order < other.order else { return "merged to order \(x.order) at \(hex(x.pfn)) on \(listName(x.list))" }
            var s = "stopped at order \(x.order) at \(hex(x.pfn)) on \(listName(x.list))"
            let buddy = x.pfn ^ (1 << x.order)
            if let bud = mine.first(where: { $0.pfn == buddy && $0.order == x.order }) {
                s += " — buddy \(hex(buddy)) order \(bud.order) is free on \(listName(bud.list))"
            }
            return s
        }
        return "after the free of pfn \(hex(pfn)) order \(words[4]): \(nameA) \(text(ba, bb, fa)); \(nameB) \(text(bb, ba, fb))"
    }

    /// Free blocks only one side has, grouped by the pfn range they cover.
    static func blockLines(_ fa: [FreeBlockEntry], _ fb: [FreeBlockEntry], _ nameA: String, _ nameB: String) -> [String] {
        let setA = Set(fa.map(Key.init)), setB = Set(fb.map(Key.init))
        let onlyA = fa.filter { !setB.contains(Key($0)) }, onlyB = fb.filter { !setA.contains(Key($0)) }
        // Walk both sorted lists, grouping overlapping ranges.
        var groups: [(lo: Int, hi: Int, a: [FreeBlockEntry], b: [FreeBlockEntry])] = []
        var all = onlyA.map { ($0, true) } + onlyB.map { ($0, false) }
        all.sort { $0.0.pfn != $1.0.pfn ? $0.0.pfn < $1.0.pfn : $0.1 && !$1.1 }
        for (block, isA) in all {
            let lo = block.pfn, hi = block.pfn + (1 << block.order)
            if var g = groups.last, lo < g.hi {
                g.hi = max(g.hi, hi)
                if isA { g.a.append(block) } else { g.b.append(block) }
                groups[groups.count - 1] = g
            } else {
                groups.append((lo, hi, isA ? [block] : [], isA ? [] : [block]))
            }
        }
        var lines: [String] = []
        for g in groups.prefix(maxLines) {
            lines.append("pfn \(hex(g.lo))–\(hex(g.hi - 1)): \(nameA) \(text(g.a)); \(nameB) \(text(g.b))")
        }
        if groups.count > maxLines { lines.append("… and \(groups.count - maxLines) more differing free ranges") }
        return lines
    }

    struct Key: Hashable {
        var pfn: Int, order: Int, list: UInt8
        init(_ e: FreeBlockEntry) { pfn = e.pfn; order = e.order; list = e.list.rawValue }
    }

    static func text(_ blocks: [FreeBlockEntry]) -> String {
        guard !blocks.isEmpty else { return "not free there (allocated, or free in blocks both share)" }
        return blocks.map { "free order \($0.order) at \(hex($0.pfn)) on \(listName($0.list))" }.joined(separator: ", ")
    }

    static func listName(_ mt: MigrateType) -> String { mt.procName.uppercased() }
    static func signed(_ v: Int) -> String { v >= 0 ? "+\(v)" : "\(v)" }
    static func hex(_ v: Int) -> String { "0x" + String(v, radix: 16) }
}

/// One program event in words.
public enum ProgramEventText {
    public static func describe(_ event: ProgramEvent, layout: MachineLayout) -> String {
        let h = StateDifference.hex
        let zoneName = { (z: Int) in z >= 0 && z < layout.zones.count ? layout.zones[z].name : "zonelist" }
        var text: String
        switch event.op {
        case let .alloc(r, order, type, z, _, gfp):
            text = "alloc request #\(r) order \(order) \(type.name)\(gfp.map { " gfp \($0.description)" } ?? "") (\(zoneName(Int(z))))"
        case let .allocAt(pfn, r, order, type, _, gfp):
            text = "alloc request #\(r) at pfn \(h(pfn)) order \(order) \(type.name)\(gfp.map { " gfp \($0.description)" } ?? "")"
        case let .free(r): text = "free request #\(r)"
        case let .isolate(s, p): text = "isolate \(h(s))+\(p) (start_isolate_page_range)"
        case let .unisolate(s, p): text = "unisolate \(h(s))+\(p) (undo_isolate_page_range)"
        case let .contig(s, p, hold): text = "alloc_contig_range \(h(s))+\(p)\(hold ? " (held)" : "")"
        case let .cmaDeclare(base, p): text = "cma_init_reserved_mem pfn \(h(base))+\(p)"
        case let .cmaAlloc(area, p): text = "cma_alloc area \(area) \(p) pages"
        case let .cmaRelease(area, count): text = "cma_release area \(area) \(count < 0 ? "all" : String(count))"
        case let .offline(b): text = "offline memory block \(b)"
        case let .online(b): text = "online memory block \(b)"
        case let .watermark(z, mark, order): text = "zone_watermark_ok_safe \(zoneName(z)) \(["min", "low", "high"][Int(min(mark, 2))]) order \(order)"
        case let .reserveHighatomic(pfn): text = "reserve_highatomic pageblock at pfn \(h(pfn))"
        case let .compact(z, order, priority):
            text = order < 0 ? "compact_memory \(zoneName(z))"
                : "try_to_compact_pages \(zoneName(z)) order \(order) \(CompactPriority(rawValue: Int(priority))?.name ?? "?")"
        case let .sample(kind): text = "sample \(kind == .drift ? "drift" : "contig_phase")"
        }
        if event.script >= 0 { text += " [script op \(event.script)]" }
        return text
    }
}
