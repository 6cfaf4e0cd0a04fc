import BuddyCore
import BuddyYAML

/// Decodes `machine.cma:` and fixes where every area goes, identically for every variant.
///
/// The engine rounds a CMA area to its variant's alignment (`cma_declare_contiguous`): max order
/// for the pre-5.19 designs, a pageblock after. An area placed by the engine itself would land
/// at a variant-dependent spot, and two unplaced areas would both land at the top of the zone.
/// So areas without `base:` are placed here, memblock-style top-down below the end of the last
/// non-Movable zone, aligned to the coarsest alignment any variant uses. Every area is then
/// checked with its worst-case rounding: inside one zone and disjoint from the others — the
/// conditions under which reservation succeeds in every variant.
struct CMAPlacement {
    let reader: NodeReader
    let units: PageUnits
    let layout: MachineLayout

    private var unit: Int { max(layout.geometry.maxOrderPages, layout.geometry.pageblockPages) }

    private struct Area {
        var name: String
        var pages: Int
        var base: Int?
        var mark: YAMLMark
    }

    func decode(_ node: YAMLNode?) throws(YAMLDecodeError) -> [CMASpec] {
        guard let node else { return [] }
        let nameRule = IdentifierRule(pattern: "[A-Za-z0-9_-]+") ?? .slug
        var areas: [Area] = []
        for (i, item) in try reader.sequence(node).enumerated() {
            let m = try reader.mapping(item, context: "machine.cma[\(i)]").allowing(["name", "size", "base"])
            let nameNode = try m.required("name")
            let name = try reader.identifier(nameNode, rule: nameRule, what: "cma area name")
            guard !areas.contains(where: { $0.name == name }) else {
                throw reader.error("duplicate cma area name '\(name)'", at: nameNode)
            }
            let pages = try units.pages(m.required("size"), what: "cma area \(name) size")
            var base: Int?
            if let b = m.optional("base") { base = try units.pfn(b, bareIsPfn: false) }
            areas.append(Area(name: name, pages: pages, base: base, mark: item.mark))
        }
        var placed: [(range: Range<Int>, name: String)] = []
        for area in areas where area.base != nil {
            placed.append((try check(area, base: area.base ?? 0, against: placed), area.name))
        }
        var specs: [CMASpec] = []
        for area in areas {
            var base = area.base ?? 0
            if area.base == nil {
                base = try autoBase(area, placed: placed)
                placed.append((try check(area, base: base, against: placed), area.name))
            }
            specs.append(CMASpec(name: area.name, pages: area.pages, basePfn: base))
        }
        return specs
    }

    private func roundUp(_ value: Int) -> Int { (value + unit - 1) / unit * unit }

    /// The pfns the area may occupy in any variant; throws unless they sit in one zone and clear of `placed`.
    private func check(_ area: Area, base: Int,
                       against placed: [(range: Range<Int>, name: String)]) throws(YAMLDecodeError) -> Range<Int> {
        let start = roundUp(base)
        let range = start..<(start + roundUp(area.pages))
        let zone = (0..<layout.zones.count).first { z in
            layout.zoneStart(z) <= range.lowerBound && range.upperBound <= layout.zoneStart(z) + layout.zones[z].pages
        }
        guard zone != nil else {
            throw reader.error(
                "cma area \(area.name) [\(Hex.string(range.lowerBound)), \(Hex.string(range.upperBound))) "
                    + "(rounded to \(unit)-page alignment) does not fit inside one zone", at: area.mark)
        }
        if let other = placed.first(where: { $0.range.overlaps(range) }) {
            throw reader.error("cma area \(area.name) overlaps cma area \(other.name)", at: area.mark)
        }
        return range
    }

    /// Top-down below the end of the last non-Movable zone, skipping areas already placed.
    private func autoBase(_ area: Area, placed: [(range: Range<Int>, name: String)]) throws(YAMLDecodeError) -> Int {
        let z = layout.zones.indices.last { !layout.zones[$0].isMovableZone } ?? (layout.zones.count - 1)
        let zoneStart = layout.zoneStart(z)
        let size = roundUp(area.pages)
        var top = zoneStart + layout.zones[z].pages
        while top - size >= zoneStart {
            let base = (top - size) / unit * unit
            guard base >= zoneStart else { break }
            guard let blocker = placed.first(where: { $0.range.overlaps(base..<(base + size)) }) else { return base }
            top = blocker.range.lowerBound
        }
        throw reader.error("no room for cma area \(area.name) (\(ByteFormat.string(size * units.pageSize)) after "
                           + "alignment) in zone \(layout.zones[z].name); give it a base:", at: area.mark)
    }
}
