/// Memory hot-add: `add_memory()` → `add_memory_resource()` (mm/memory_hotplug.c, Debian 6.1.192
/// and 6.12.118), what the ACPI memory driver runs for a hot-plugged DIMM. A memory block of the
/// boot's hidden RAM (`MachineLayout.hotpluggablePages`) gets its memmap and its memory block
/// device, offline (no CONFIG_MEMORY_HOTPLUG_DEFAULT_ONLINE); no zone changes. `onlineBlock`
/// then gives it a zone — `zone_for_pfn_range(MMOP_ONLINE)` → `default_zone_for_pfn` →
/// `default_kernel_zone_for_pfn`: the first zone below Normal whose span intersects the block,
/// else Normal — and `move_pfn_range_to_zone` → `resize_zone_range` grows that zone's span to
/// cover it.
extension Machine {
    /// Whether the memory block holding `pfn` was hot-added (its frames are RAM now).
    public func isHotAdded(_ pfn: Int) -> Bool {
        book.pointee.hotAdded.contains { $0.contains(pfn) }
    }

    /// `add_memory(nid, PFN_PHYS(start), block bytes, MHP_NONE)` for memory block `b`.
    /// `.einval` outside the hot-pluggable range or for a block already added (the kernel's
    /// `register_memory_resource` answers -EEXIST there: `SimulatedKernel` says so).
    public func hotAddBlock(_ b: Int) -> ContigResult {
        guard b >= 0, b < blockOnline.count else { return ContigResult(result: .einval, detail: "no memory block \(b)") }
        let (start, end) = blockRange(b)
        let r = layout.hotpluggableRange
        guard start >= r.lowerBound, end <= r.upperBound else {
            return ContigResult(result: .einval, detail: "memory block \(b) is not hot-pluggable RAM [\(hex(r.lowerBound)), \(hex(r.upperBound)))")
        }
        guard !isHotAdded(start) else { return ContigResult(result: .einval, detail: "memory block \(b) was added already (-EEXIST)") }
        book.pointee.hotAdded.append(start..<end)
        // sparse_add_section() → section_activate(): the section's pageblock bitmap (usemap) is
        // allocated zeroed, so until online_pages() retypes them every pageblock of the block
        // reads MIGRATE_UNMOVABLE (0), with no skip bit — what a zone whose span grows over the
        // block while it is still offline shows (found on 6.1.192 pc --hotadd, seed 2).
        var p = start
        while p < end { setBlockType(p, .unmovable); p += geometry.pageblockPages }
        return ContigResult(result: .ok, detail: "added [\(hex(start)), \(hex(end))), offline")
    }

    /// The zone `online_pages()` gives a hot-added block no zone spans yet
    /// (`default_kernel_zone_for_pfn`), its span grown over the block (`resize_zone_range`).
    func zoneForHotAddedBlock(_ start: Int, _ end: Int) -> Int {
        let normal = (0..<zoneCount).last { !zone[$0].isMovableZone } ?? zoneCount - 1
        let z = (0..<normal).first { zone[$0].startPfn < end && start < zone[$0].endPfn } ?? normal
        if start < zone[z].startPfn { zone[z].startPfn = start }
        if end > zone[z].endPfn { zone[z].endPfn = end }
        var pb = (start - ramStart) >> geometry.pageblockOrder
        while pb < (end - ramStart) >> geometry.pageblockOrder { pageblockZone[pb] = UInt8(z); pb += 1 }
        return z
    }
}
