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
                       "ram_start", "zones", "cma", "from_proc"]

    func decode(_ node: YAMLNode) throws(YAMLDecodeError) -> MachineConfig {
        let m = try reader.mapping(node, context: "machine").allowing(Self.keys)
        if m.contains("from_proc") { return try decodeFromProc(m) }
        var presetName = "x86_64"
        if let n = m.optional("preset") {
            presetName = try reader.choice(n, from: Geometry.presetNames, what: "preset")
        }
        let geometry = try decodeGeometry(m, preset: Geometry.preset(named: presetName) ?? .x86_64)
        let units = PageUnits(reader: reader, pageSize: geometry.pageSize)
        let unit = max(geometry.maxOrderPages, geometry.pageblockPages)

        var blockPages = max(Self.defaultMemoryBlockBytes / geometry.pageSize, unit)
        if let n = m.optional("memory_block") { blockPages = try units.pages(n, what: "memory_block") }
        var ramStart = 0
        if let n = m.optional("ram_start") { ramStart = try units.pfn(n, bareIsPfn: false) }

        let (zones, zoneMarks) = try decodeZones(m, units: units, blockPages: blockPages)
        var layout = MachineLayout(geometry: geometry, ramStartPfn: ramStart, zones: zones,
                                   memoryBlockPages: blockPages)
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

    /// `zones:` — names unique, sizes whole pages and whole memory blocks, total ≤ 4 TiB.
    private func decodeZones(_ m: MappingReader, units: PageUnits,
                             blockPages: Int) throws(YAMLDecodeError) -> ([ZoneSpec], [String: YAMLMark]) {
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
        for (i, item) in items.enumerated() {
            let z = try reader.mapping(item, context: "machine.zones[\(i)]").allowing(["name", "size"])
            let nameNode = try z.required("name")
            let name = try reader.identifier(nameNode, rule: nameRule, what: "zone name")
            guard marks[name] == nil else { throw reader.error("duplicate zone name '\(name)'", at: nameNode) }
            let sizeNode = try z.required("size")
            let pages = try units.pages(sizeNode, what: "zone \(name) size")
            guard pages % blockPages == 0 else {
                throw reader.error(
                    "zone \(name) size \(ByteFormat.string(pages * units.pageSize)) is not a multiple of "
                        + "memory_block (\(ByteFormat.string(blockPages * units.pageSize)))", at: sizeNode)
            }
            totalBytes = Saturating.add(totalBytes, pages * units.pageSize)
            guard totalBytes <= Self.maxBytes else {
                throw reader.error("machine RAM exceeds 4TiB (the largest machine buddylab simulates)", at: sizeNode)
            }
            marks[name] = sizeNode.mark
            zones.append(ZoneSpec(name: name, pages: pages))
        }
        marks[""] = node.mark
        return (zones, marks)
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
