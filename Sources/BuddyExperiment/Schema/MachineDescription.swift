import BuddyCore

/// One row of the machine table in reports, e.g. `("zone Normal", "1024MiB (262144 pages), …")`.
public struct MachineDescriptionLine: Sendable, Equatable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) { self.name = name; self.value = value }
}

/// The resolved machine as (key, value) lines for report headers.
///
/// Values are spelled the way the experiment file spells them, with the derived figures a
/// kernel developer checks first (pages per block, pfn ranges), so a reader can tell at a glance
/// whether the defaults did what they expected.
public enum MachineDescription {
    public static func lines(for experiment: Experiment) -> [MachineDescriptionLine] {
        lines(for: experiment.machine)
    }

    public static func lines(for machine: MachineConfig) -> [MachineDescriptionLine] {
        let l = machine.layout
        let g = l.geometry
        let bytes = { (pages: Int) in ByteFormat.string(pages * g.pageSize) }
        var out = [
            MachineDescriptionLine("preset", machine.preset),
            MachineDescriptionLine("page size", ByteFormat.string(g.pageSize)),
            MachineDescriptionLine("max order", "\(g.maxOrder) (MAX_PAGE_ORDER, inclusive: \(bytes(g.maxOrderPages)) blocks)"),
            MachineDescriptionLine("pageblock order", "\(g.pageblockOrder) (\(bytes(g.pageblockPages)))"),
            MachineDescriptionLine("memory block", "\(bytes(l.memoryBlockPages)) (\(l.memoryBlockPages) pages; "
                                   + "\(machine.blockCount) blocks)"),
            MachineDescriptionLine("ram_start", "pfn \(Hex.string(l.ramStartPfn))"),
        ]
        if l.cpus != 1 {
            out.append(MachineDescriptionLine("cpus", "\(l.cpus) (per-cpu pagesets in eras that model them)"))
        }
        for (z, zone) in l.zones.enumerated() {
            let start = l.zoneStart(z)
            let blocks = machine.blocks(ofZone: z)
            let present = zone.holes.isEmpty ? "" : ", present \(zone.presentPages) (holes "
                + zone.holes.map { "\(Hex.string($0.lowerBound))–\(Hex.string($0.upperBound - 1))" }.joined(separator: ", ") + ")"
            out.append(MachineDescriptionLine(
                "zone \(zone.name)",
                "\(ByteFormat.mebibytes(zone.pages * g.pageSize)) (\(zone.pages) pages), "
                    + "pfn \(Hex.string(start))–\(Hex.string(start + zone.pages - 1)), blocks \(blocks.lowerBound)–\(blocks.upperBound - 1)"
                    + present))
        }
        for area in l.cma {
            let place = area.basePfn.map { "at pfn \(Hex.string($0))" } ?? "placed by the engine"
            out.append(MachineDescriptionLine("cma \(area.name)",
                                              "\(ByteFormat.mebibytes(area.pages * g.pageSize)) (\(area.pages) pages) \(place)"))
        }
        return out
    }
}
