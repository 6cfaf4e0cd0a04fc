/// Physical layout of a simulated machine: where RAM starts, its zones in address order, the
/// memory-block (hotplug) size and CMA areas reserved at set-up. All in pages / pfns.
///
/// A zone is a span `[start, start + pages)` (`zone_start_pfn`, `spanned_pages`) with optional
/// holes: pfns inside the span with no RAM (`present_pages` = spanned − holes), as on a real
/// PC (ZONE_DMA starts at pfn 1 and has the 640 KiB–1 MiB hole). Zones need not be aligned to
/// pageblocks or memory blocks; a memory block may span two zones.
public struct ZoneSpec: Sendable, Equatable {
    public var name: String
    /// Spanned pages.
    public var pages: Int
    /// `zone_start_pfn`; nil = right after the previous zone (or at `ram_start`).
    public var start: Int?
    /// Holes inside the span, as absolute pfn ranges, ascending and disjoint.
    public var holes: [Range<Int>]
    public init(name: String, pages: Int, start: Int? = nil, holes: [Range<Int>] = []) {
        self.name = name; self.pages = pages; self.start = start; self.holes = holes
    }
    /// ZONE_MOVABLE gets special treatment in `has_unmovable_pages`.
    public var isMovableZone: Bool { name == "Movable" }
    /// `present_pages`.
    public var presentPages: Int { pages - holes.reduce(0) { $0 + $1.count } }
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

/// Pfns that have a struct page but no RAM and whose `page_zone()` is not the zone spanning
/// them: `memmap_init()` gives a hole between two memblock ranges the zone of the range after
/// it (`memmap_init_zone_range` -> `init_unavailable_range`), so on a PC the pages between
/// DMA32's last RAM and the PCI hole say Normal. Only `__pageblock_pfn_to_page()` reads it here:
/// compaction skips a pageblock whose first and last page are in different zones.
public struct MemmapZoneRange: Sendable, Equatable {
    public var pfns: Range<Int>
    /// Index of the zone their struct pages name.
    public var zone: Int
    public init(pfns: Range<Int>, zone: Int) { self.pfns = pfns; self.zone = zone }
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
    /// Per-cpu lists in use. False models the oracle kernel's `buddylab_nopcp` boot parameter
    /// (scripts/oracle/patch-tree: `pcp_allowed_order()` is false, so every allocation and free
    /// reaches the buddy lists even in eras that have pcp lists). Not an experiment key.
    public var perCPUListsEnabled = true
    /// CONFIG_TRANSPARENT_HUGEPAGE: `PageTransCompound()` is true for every compound page, so
    /// `has_unmovable_pages()` judges a compound tail by its head (v5.x+). Debian's x86_64
    /// kernels have it; the User-Mode Linux oracle kernel cannot (ARCH=um has no THP), so there
    /// a tail page is just a page with refcount 0 and is skipped. Not an experiment key: the
    /// oracle's imported machines set it false (Machine+Import.swift).
    public var transparentHugepage = true
    /// Struct pages naming another zone than the span holding them (imported from the x86_64
    /// oracle's `memmap_zone` records; empty for every experiment machine).
    public var memmapZones: [MemmapZoneRange] = []
    /// Pages after the last zone with RAM the boot did not give the kernel (the x86_64 oracle's
    /// `hotadd_range`, hidden with `mem=`): absent until `hotAddBlock` adds a memory block of it
    /// (`add_memory()`), which `onlineBlock` then gives to a zone. Whole memory blocks; 0 for
    /// every experiment machine.
    public var hotpluggablePages = 0
    /// `[end of the last zone's memory blocks, + hotpluggablePages)`.
    public var hotpluggableRange: Range<Int> {
        let start = ramStartPfn + zonesPages
        return start..<(start + hotpluggablePages)
    }

    public init(geometry: Geometry, ramStartPfn: Int, zones: [ZoneSpec], memoryBlockPages: Int,
                cma: [CMASpec] = []) {
        self.geometry = geometry; self.ramStartPfn = ramStartPfn; self.zones = zones
        self.memoryBlockPages = memoryBlockPages; self.cma = cma
    }

    /// Frames the engine keeps (pfns `ramStartPfn..<endPfn` have a struct page): from
    /// `ram_start` to the end of the last zone, rounded up to whole memory blocks (the tail past
    /// the last zone is absent memory).
    public var totalPages: Int { zonesPages + hotpluggablePages }
    /// The zones' frames: from `ram_start` to the last zone's end, rounded up to memory blocks.
    private var zonesPages: Int {
        guard memoryBlockPages > 0 else { return lastZoneEnd - ramStartPfn }
        return (lastZoneEnd - ramStartPfn + memoryBlockPages - 1) / memoryBlockPages * memoryBlockPages
    }
    public var endPfn: Int { ramStartPfn + totalPages }
    /// Pages with RAM (Σ present pages).
    public var presentPages: Int { zones.reduce(0) { $0 + $1.presentPages } }
    private var lastZoneEnd: Int { zones.isEmpty ? ramStartPfn : zoneStart(zones.count - 1) + zones[zones.count - 1].pages }

    /// First pfn of zone `index` (`zone_start_pfn`).
    public func zoneStart(_ index: Int) -> Int {
        var pfn = ramStartPfn
        for z in 0...index { pfn = zones[z].start ?? pfn; if z < index { pfn += zones[z].pages } }
        return pfn
    }

    /// The pfn ranges of `ramStartPfn..<endPfn` with no RAM: before, between and after zones,
    /// and the zones' holes. Ascending, disjoint, adjacent ranges merged.
    public var absentRanges: [Range<Int>] {
        var out: [Range<Int>] = []
        func add(_ r: Range<Int>) {
            guard !r.isEmpty else { return }
            if let last = out.last, last.upperBound == r.lowerBound { out[out.count - 1] = last.lowerBound..<r.upperBound }
            else { out.append(r) }
        }
        var pfn = ramStartPfn
        for z in zones.indices {
            let start = zoneStart(z)
            add(pfn..<start)
            for h in zones[z].holes { add(h) }
            pfn = start + zones[z].pages
        }
        add(pfn..<endPfn)
        return out
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
        var previousEnd = ramStartPfn
        for (i, z) in zones.enumerated() {
            guard z.pages > 0 else { return "zone \(z.name): size must be positive" }
            let start = zoneStart(i)
            guard start >= previousEnd else {
                return "zone \(z.name): start pfn \(start) overlaps the previous zone or lies below ram_start (pfn \(previousEnd))"
            }
            var holeEnd = start
            for h in z.holes {
                guard h.lowerBound >= holeEnd, h.upperBound <= start + z.pages, !h.isEmpty else {
                    return "zone \(z.name): holes must be non-empty, ascending, disjoint and inside the zone"
                }
                holeEnd = h.upperBound
            }
            guard z.presentPages > 0 else { return "zone \(z.name): no present pages (the holes cover it)" }
            previousEnd = start + z.pages
        }
        for r in memmapZones {
            guard !r.pfns.isEmpty, r.pfns.lowerBound >= ramStartPfn, r.pfns.upperBound <= endPfn, zones.indices.contains(r.zone) else {
                return "memmap zone range \(r.pfns) (zone \(r.zone)) is empty, outside the machine or names no zone"
            }
        }
        guard hotpluggablePages >= 0, memoryBlockPages > 0 ? hotpluggablePages % memoryBlockPages == 0 : hotpluggablePages == 0 else {
            return "hot-pluggable memory must be whole memory blocks"
        }
        let total = totalPages
        guard total <= 1 << 32 - 2, endPfn < 1 << 40 else { return "machine too large (at most 2^32 - 2 pages)" }
        guard memoryBlockPages >= unit, memoryBlockPages % unit == 0 else {
            return "memory_block must be a multiple of the largest buddy block (\(unit) pages)"
        }
        guard total / memoryBlockPages <= 1 << 20 else {
            return "too many memory blocks (\(total / memoryBlockPages)); use a larger memory_block"
        }
        guard zones.count < 0xFE else { return "too many zones" }
        return nil
    }
}
