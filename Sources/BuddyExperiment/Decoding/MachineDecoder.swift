import BuddyCore
import BuddyYAML

/// Decodes `machine:` into a `MachineConfig`, checking everything the engine would refuse.
///
/// `MachineLayout.validate()` is the engine's own word on what it can model; its messages are
/// mapped back onto the YAML node they are about, so a bad layout is reported at the line that
/// caused it rather than at `machine:`.
struct MachineDecoder {
    let reader: NodeReader

    /// Largest machine accepted: 4 TiB of RAM.
    static let maxBytes = 4 << 40
    /// Default hotplug unit (x86_64's `MIN_MEMORY_BLOCK_SIZE`), raised to the largest buddy
    /// block when that is bigger (arm64 64K: 512 MiB sections).
    static let defaultMemoryBlockBytes = 128 << 20

    /// Most zones a machine may have (the kernel has at most five; the engine stores zone indices in 8 bits).
    static let maxZones = 16

    static let keys = ["preset", "page_size", "max_order", "pageblock_order", "memory_block",
                       "ram_start", "zones", "cma", "ram", "cpus", "from_proc", "zones_from_zoneinfo"]

    /// `preset: x86_64-pc`: x86_64 geometry with the zones laid out from `ram:` as on a PC.
    static let pcPreset = "x86_64-pc"

    func decode(_ node: YAMLNode) throws(YAMLDecodeError) -> MachineConfig {
        let m = try reader.mapping(node, context: "machine").allowing(Self.keys)
        if m.contains("from_proc") { return try decodeFromProc(m) }
        var presetName = "x86_64"
        if let n = m.optional("preset") {
            presetName = try reader.choice(n, from: Geometry.presetNames + [Self.pcPreset], what: "preset")
        }
        let geometry = try decodeGeometry(m, preset: Geometry.preset(named: presetName) ?? .x86_64)
        let units = PageUnits(reader: reader, pageSize: geometry.pageSize)
        let unit = max(geometry.maxOrderPages, geometry.pageblockPages)

        var blockPages = max(Self.defaultMemoryBlockBytes / geometry.pageSize, unit)
        if let n = m.optional("memory_block") { blockPages = try units.pages(n, what: "memory_block") }
        var ramStart = 0
        if let n = m.optional("ram_start") { ramStart = try units.pfn(n, bareIsPfn: false) }

        var zones: [ZoneSpec]
        var zoneMarks: [String: YAMLMark] = [:]
        var presentOf: [Int: Int] = [:]
        if presetName == Self.pcPreset {
            zones = try decodePCZones(m, units: units)
        } else {
            if let n = m.optional("ram") {
                throw reader.error("machine.ram is only read by preset \(Self.pcPreset); list zones: instead", at: n)
            }
            if let n = m.optional("zones_from_zoneinfo") {
                if m.contains("zones") { throw reader.error("give either zones: or zones_from_zoneinfo:, not both", at: m.keyMark("zones")) }
                zones = try decodeZonesFromZoneinfo(n, unit: unit)
            } else {
                (zones, zoneMarks, presentOf) = try decodeZones(m, units: units)
            }
        }
        var layout = MachineLayout(geometry: geometry, ramStartPfn: ramStart, zones: zones,
                                   memoryBlockPages: blockPages)
        // `present: SIZE`: the span past the first SIZE pages is a hole.
        for (z, present) in presentOf where present < zones[z].pages {
            let start = layout.zoneStart(z)
            zones[z].holes = [(start + present)..<(start + zones[z].pages)]
        }
        layout.zones = zones
        // Per-cpu pagesets for N CPUs (eras with a pcp model; default 1).
        if let n = m.optional("cpus") { layout.cpus = try reader.int(n, in: 1...PerCPUPages.maxCPUs) }
        if let problem = layout.validate() {
            throw reader.error(explain(problem, m), at: mark(for: problem, m, zoneMarks))
        }
        layout.cma = try CMAPlacement(reader: reader, units: units, layout: layout).decode(m.optional("cma"))
        return MachineConfig(preset: presetName, layout: layout)
    }

    /// Preset geometry with the `page_size`, `max_order` and `pageblock_order` overrides.
    private func decodeGeometry(_ m: MappingReader, preset: Geometry) throws(YAMLDecodeError) -> Geometry {
        var g = preset
        if let n = m.optional("page_size") {
            guard case .bytes(let bytes) = try reader.size(n) else {
                throw reader.error("page_size must be given in bytes (e.g. 4KiB), not in pages", at: n)
            }
            guard bytes.nonzeroBitCount == 1, (1 << 10...1 << 20).contains(bytes) else {
                throw reader.error("page_size must be a power of two between 1KiB and 1MiB", at: n)
            }
            g.pageShift = bytes.trailingZeroBitCount
        }
        let maxNode = m.optional("max_order")
        if let n = maxNode { g.maxOrder = try reader.int(n, in: 1...15) }
        let pageblockNode = m.optional("pageblock_order")
        if let n = pageblockNode { g.pageblockOrder = try reader.int(n, in: 0...15) }
        guard g.pageblockOrder <= g.maxOrder else {
            let message = "pageblock_order (\(g.pageblockOrder)) must not exceed max_order (\(g.maxOrder))"
            throw reader.error(message, at: pageblockNode?.mark ?? maxNode?.mark ?? m.mark)
        }
        return g
    }

    /// `preset: x86_64-pc` with `ram: SIZE`: the layout of a QEMU `pc` (i440fx) guest, as in
    /// /proc/zoneinfo of such a machine (../shared/fixtures/zoneinfo-6.18-x86_64.txt, 24 GiB):
    /// ZONE_DMA from pfn 1 to 4095 (spanned 4095) with the 640 KiB–1 MiB hole at pfns
    /// 0x9f–0xff (present 3998); ZONE_DMA32 from pfn 0x1000 to the RAM below 4 GiB — all of
    /// it when under 3.5 GiB, else 3 GiB with the PCI hole up to 4 GiB; ZONE_Normal from 4 GiB
    /// with the rest. `ram:` counts every byte of RAM, the hole pages included (as QEMU's `-m`).
    private func decodePCZones(_ m: MappingReader, units: PageUnits) throws(YAMLDecodeError) -> [ZoneSpec] {
        if let n = m.optional("zones") {
            throw reader.error("preset \(Self.pcPreset) lays out its own zones from ram:; drop zones:", at: n)
        }
        let ramNode = try m.required("ram")
        let ram = try units.pages(ramNode, what: "ram")
        guard units.pageSize == 4096 else { throw reader.error("preset \(Self.pcPreset) uses 4KiB pages", at: ramNode) }
        guard ram >= 0x2000 else { throw reader.error("preset \(Self.pcPreset) needs ram of at least 32MiB", at: ramNode) }
        guard ram <= Self.maxBytes / 4096 else {
            throw reader.error("machine RAM exceeds 4TiB (the largest machine buddylab simulates)", at: ramNode)
        }
        let fourGiB = 0x100000
        let below4G = ram >= 0xE0000 ? 0xC0000 : ram
        let above4G = ram - below4G
        var zones = [ZoneSpec(name: "DMA", pages: 0x1000 - 1, start: 1, holes: [0x9f..<0x100])]
        let dma32End = above4G > 0 ? fourGiB : below4G
        zones.append(ZoneSpec(name: "DMA32", pages: dma32End - 0x1000, start: 0x1000,
                              holes: below4G < dma32End ? [below4G..<dma32End] : []))
        if above4G > 0 { zones.append(ZoneSpec(name: "Normal", pages: above4G, start: fourGiB)) }
        return zones
    }

    /// `zones:` — names unique; each a `size` (spanned pages) with an optional `start` address
    /// (default: right after the previous zone, or `ram_start`) and holes given either as
    /// `holes: [{start, size}]` (absolute addresses inside the zone) or `present: SIZE` (the span
    /// past the first SIZE is a hole). Any page-aligned size and start. Total ≤ 4 TiB.
    /// - Returns: the zones, the marks of their sizes, and the `present:` values by zone index.
    private func decodeZones(_ m: MappingReader, units: PageUnits) throws(YAMLDecodeError)
        -> ([ZoneSpec], [String: YAMLMark], [Int: Int]) {
        let node = try m.required("zones")
        let items = try reader.sequence(node)
        guard !items.isEmpty else { throw reader.error("machine.zones must list at least one zone", at: node) }
        guard items.count <= Self.maxZones else {
            throw reader.error("machine.zones lists \(items.count) zones; at most \(Self.maxZones) are supported", at: node)
        }
        let nameRule = IdentifierRule(pattern: "[A-Za-z0-9_]+") ?? .slug
        var zones: [ZoneSpec] = []
        var marks: [String: YAMLMark] = [:]
        var totalBytes = 0
        var presentOf: [Int: Int] = [:]
        for (i, item) in items.enumerated() {
            let z = try reader.mapping(item, context: "machine.zones[\(i)]")
                .allowing(["name", "size", "start", "holes", "present"])
            let nameNode = try z.required("name")
            let name = try reader.identifier(nameNode, rule: nameRule, what: "zone name")
            guard marks[name] == nil else { throw reader.error("duplicate zone name '\(name)'", at: nameNode) }
            let sizeNode = try z.required("size")
            let pages = try units.pages(sizeNode, what: "zone \(name) size")
            var start: Int?
            if let n = z.optional("start") { start = try units.pfn(n, bareIsPfn: false) }
            var holes: [Range<Int>] = []
            if let n = z.optional("holes") {
                if let p = z.optional("present") {
                    throw reader.error("zone \(name): give holes: or present:, not both", at: p)
                }
                for (j, h) in try reader.sequence(n).enumerated() {
                    let hm = try reader.mapping(h, context: "machine.zones[\(i)].holes[\(j)]").allowing(["start", "size"])
                    let hs = try units.pfn(hm.required("start"), bareIsPfn: false)
                    let hp = try units.pages(hm.required("size"), what: "hole size")
                    holes.append(hs..<(hs + hp))
                }
            }
            if let n = z.optional("present") {
                let present = try units.pages(n, what: "zone \(name) present")
                guard present > 0, present <= pages else {
                    throw reader.error("zone \(name): present must be between 1 page and the zone size", at: n)
                }
                presentOf[i] = present
            }
            totalBytes = Saturating.add(totalBytes, pages * units.pageSize)
            guard totalBytes <= Self.maxBytes else {
                throw reader.error("machine RAM exceeds 4TiB (the largest machine buddylab simulates)", at: sizeNode)
            }
            marks[name] = sizeNode.mark
            zones.append(ZoneSpec(name: name, pages: pages, start: start, holes: holes))
        }
        marks[""] = node.mark
        return (zones, marks, presentOf)
    }

    /// The node a `validate()` message is about.
    private func mark(for problem: String, _ m: MappingReader, _ zoneMarks: [String: YAMLMark]) -> YAMLMark {
        func at(_ key: String) -> YAMLMark { m.optional(key)?.mark ?? m.mark }
        if problem.hasPrefix("page_size") { return at("page_size") }
        if problem.hasPrefix("max_order") { return at("max_order") }
        if problem.hasPrefix("pageblock_order") { return at("pageblock_order") }
        if problem.hasPrefix("ram_start") { return at("ram_start") }
        if problem.hasPrefix("memory_block") || problem.hasPrefix("too many memory blocks") {
            return at("memory_block")
        }
        if problem.hasPrefix("zone ") {
            let name = problem.dropFirst(5).prefix { $0 != ":" }
            return zoneMarks[String(name)] ?? zoneMarks[""] ?? m.mark
        }
        return zoneMarks[""] ?? m.mark
    }

    /// The engine's message, plus which default was involved when the key was not written.
    private func explain(_ problem: String, _ m: MappingReader) -> String {
        if problem.hasPrefix("memory_block") || problem.hasPrefix("too many memory blocks"), !m.contains("memory_block") {
            return problem + " (memory_block defaults to 128MiB; set it explicitly)"
        }
        return problem
    }
}
