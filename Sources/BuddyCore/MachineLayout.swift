/// Physical layout of a simulated machine: where RAM starts, its zones in address order, the
/// memory-block (hotplug) size and CMA areas reserved at set-up. All in pages / pfns.
public struct ZoneSpec: Sendable, Equatable {
    public var name: String
    public var pages: Int
    public init(name: String, pages: Int) { self.name = name; self.pages = pages }
    /// ZONE_MOVABLE gets special treatment in `has_unmovable_pages`.
    public var isMovableZone: Bool { name == "Movable" }
}

/// A CMA area reserved at machine set-up (`cma_declare_contiguous`).
public struct CMASpec: Sendable, Equatable {
    public var name: String
    public var pages: Int
    /// Requested base pfn, or nil to let the engine place it (top of the first zone, aligned).
    public var basePfn: Int?
    public init(name: String, pages: Int, basePfn: Int? = nil) {
        self.name = name; self.pages = pages; self.basePfn = basePfn
    }
}

public struct MachineLayout: Sendable, Equatable {
    public var geometry: Geometry
    /// First pfn with RAM; lower pfns are absent (no struct page).
    public var ramStartPfn: Int
    public var zones: [ZoneSpec]
    /// Memory block (hotplug unit) in pages.
    public var memoryBlockPages: Int
    public var cma: [CMASpec]
    /// CPUs, each with its per-cpu pagesets (`machine: { cpus: N }`; eras with a pcp model only).
    public var cpus: Int = 1

    public init(geometry: Geometry, ramStartPfn: Int, zones: [ZoneSpec], memoryBlockPages: Int,
                cma: [CMASpec] = []) {
        self.geometry = geometry; self.ramStartPfn = ramStartPfn; self.zones = zones
        self.memoryBlockPages = memoryBlockPages; self.cma = cma
    }

    public var totalPages: Int { zones.reduce(0) { $0 + $1.pages } }
    public var endPfn: Int { ramStartPfn + totalPages }

    /// First pfn of zone `index`.
    public func zoneStart(_ index: Int) -> Int {
        ramStartPfn + zones[..<index].reduce(0) { $0 + $1.pages }
    }

    /// Layout problems, or nil when the engine can model it. Messages name the field.
    public func validate() -> String? {
        let g = geometry
        guard (10...20).contains(g.pageShift) else { return "page_size must be between 1KiB and 1MiB" }
        guard (1...15).contains(g.maxOrder) else { return "max_order must be between 1 and 15" }
        guard (0...g.maxOrder).contains(g.pageblockOrder) else {
            return "pageblock_order (\(g.pageblockOrder)) must be between 0 and max_order (\(g.maxOrder))"
        }
        let unit = max(g.maxOrderPages, g.pageblockPages)
        guard ramStartPfn >= 0, ramStartPfn % unit == 0 else {
            return "ram_start must be aligned to the largest buddy block (\(unit) pages)"
        }
        guard (1...PerCPUPages.maxCPUs).contains(cpus) else { return "cpus must be between 1 and \(PerCPUPages.maxCPUs)" }
        guard !zones.isEmpty else { return "at least one zone is required" }
        for z in zones {
            guard z.pages > 0 else { return "zone \(z.name): size must be positive" }
            guard z.pages % g.pageblockPages == 0 else {
                return "zone \(z.name): size must be a multiple of the pageblock (\(g.pageblockPages) pages)"
            }
        }
        let total = totalPages
        guard total <= 1 << 32 - 2, endPfn < 1 << 40 else { return "machine too large (at most 2^32 - 2 pages)" }
        guard memoryBlockPages >= unit, memoryBlockPages % unit == 0 else {
            return "memory_block must be a multiple of the largest buddy block (\(unit) pages)"
        }
        guard total % memoryBlockPages == 0 else {
            return "total RAM (\(total) pages) must be a whole number of memory blocks (\(memoryBlockPages) pages)"
        }
        guard total / memoryBlockPages <= 1 << 20 else {
            return "too many memory blocks (\(total / memoryBlockPages)); use a larger memory_block"
        }
        for z in zones where z.pages % memoryBlockPages != 0 {
            return "zone \(z.name): size must be a whole number of memory blocks (\(memoryBlockPages) pages)"
        }
        return nil
    }
}
