/// State import of a machine with several zones (the x86_64 oracle under QEMU: DMA from pfn 1,
/// DMA32, Normal above 4 GiB), each zone exactly as `Machine.importing` builds the only zone of a
/// User-Mode Linux log: free blocks on the kernel's lists in list order, everything else
/// allocated and pinned, counters, `nr_free`, pageblock types, marks and `lowmem_reserve` the
/// kernel's values, not recomputed. Pfns between zones (the PCI hole below 4 GiB) are absent.

/// One zone of a multi-zone import.
public struct ImportedZone: Sendable {
    public var name: String
    public var snapshot: ZoneSnapshot
    public var watermarks: ZoneWatermarks
    /// `z->lowmem_reserve[classzone]` by engine zone index (the zones of this import, in order);
    /// nil: the engine's own `setup_per_zone_lowmem_reserve`.
    public var lowmemReserve: [Int]?
    /// Pfn ranges of the span without RAM (x86_64: the PCI hole DMA32 spans up to 4 GiB).
    public var holes: [Range<Int>]
    public init(name: String, snapshot: ZoneSnapshot, watermarks: ZoneWatermarks, lowmemReserve: [Int]? = nil,
                holes: [Range<Int>] = []) {
        self.name = name; self.snapshot = snapshot; self.watermarks = watermarks; self.lowmemReserve = lowmemReserve
        self.holes = holes
    }
}

extension Machine {
    /// Builds a machine whose zones are exactly the kernel's (see `importing(_:geometry:…)` for one).
    /// - Parameter memoryBlockPages: the kernel's memory block (`memory_block_size_bytes()`), so
    ///   that engine block `b` is the kernel's `memoryb` (RAM starts at a block boundary).
    public static func importing(zones: [ImportedZone], geometry g: Geometry, memoryBlockPages: Int,
                                 cma: (name: String, base: Int, pages: Int)? = nil,
                                 perCPUListsEnabled: Bool = false,
                                 memmapZones: [MemmapZoneRange] = [],
                                 hotpluggable: Range<Int>? = nil) throws(ImportError) -> Machine<S> {
        guard let first = zones.first else { throw ImportError("no zone to import") }
        for z in zones {
            let s = z.snapshot
            guard s.spanned > 0, s.startPfn >= 0 else { throw ImportError("zone \(z.name) spans no pages") }
            guard s.nrFree.count == g.orderCount, s.freeLists.count == g.orderCount else {
                throw ImportError("zone \(z.name): snapshot has \(s.nrFree.count) orders, the geometry \(g.orderCount)")
            }
            for o in 0..<g.orderCount {
                let listed = s.freeLists[o].reduce(0) { $0 + $1.count }
                guard listed == s.nrFree[o] else {
                    throw ImportError("zone \(z.name): nr_free[\(o)] is \(s.nrFree[o]) but the order-\(o) lists hold \(listed) blocks")
                }
            }
            if let r = z.lowmemReserve, r.count != zones.count {
                throw ImportError("zone \(z.name): lowmem_reserve has \(r.count) entries for \(zones.count) zones")
            }
        }
        let unit = Swift.max(g.maxOrderPages, g.pageblockPages, memoryBlockPages)
        guard memoryBlockPages > 0, memoryBlockPages & (memoryBlockPages - 1) == 0 else {
            throw ImportError("memory block of \(memoryBlockPages) pages is not a power of two")
        }
        var layout = MachineLayout(geometry: g, ramStartPfn: first.snapshot.startPfn & ~(unit - 1),
                                   zones: zones.map { ZoneSpec(name: $0.name, pages: $0.snapshot.spanned, start: $0.snapshot.startPfn, holes: $0.holes) },
                                   memoryBlockPages: memoryBlockPages)
        layout.perCPUListsEnabled = perCPUListsEnabled
        layout.memmapZones = memmapZones
        if let h = hotpluggable {
            // the hidden RAM must start where the zones' memory blocks end (mem= at Normal's end)
            guard h.lowerBound == layout.hotpluggableRange.lowerBound else {
                throw ImportError("hot-pluggable RAM at \(hex(h.lowerBound)) does not start at the end of the zones' memory blocks (\(hex(layout.hotpluggableRange.lowerBound)))")
            }
            layout.hotpluggablePages = h.count
        }
        // The oracle kernels are built without CONFIG_TRANSPARENT_HUGEPAGE (config-x86.fragment).
        layout.transparentHugepage = false
        if let problem = layout.validate() { throw ImportError("cannot model the zones: \(problem)") }
        let m = Machine<S>(layout: layout)
        try m.loadZones(zones, cma: cma)
        return m
    }

    /// Replaces the whole state by the zones' (frames outside every zone stay absent).
    func loadZones(_ zs: [ImportedZone], cma: (name: String, base: Int, pages: Int)?) throws(ImportError) {
        let pinned = AllocInfo(type: .unmovable, migratable: false, compound: false, handled: false).raw
        for z in 0..<zoneCount {
            for pfn in zone[z].startPfn..<zone[z].endPfn where !isAbsent(pfn) {
                let i = index(pfn)
                state[i] = packState(.allocated, 0); info[i] = pinned; next[i] = frameNil; prev[i] = frameNil
            }
        }
        let lists = zoneCount * orders * MigrateType.count
        for l in 0..<lists { listHead[l] = frameNil; listTail[l] = frameNil; listCount[l] = 0 }
        for o in 0..<(zoneCount * orders) { nrFree[o] = 0 }
        for (z, imported) in zs.enumerated() {
            let s = imported.snapshot, w = imported.watermarks
            zone[z].allocatableFree = 0; zone[z].isolatedFree = 0
            zone[z].managedPages = s.managed; zone[z].presentPages = s.present
            zone[z].wmarkMin = w.min + w.boost; zone[z].wmarkLow = w.low + w.boost; zone[z].wmarkHigh = w.high + w.boost
            try loadZone(s, zone: z, label: "zone \(imported.name): ")
        }
        // setup_per_zone_lowmem_reserve's table (and the NOFRAGMENT zone rule derived with it),
        // then the kernel's own reserves where the log gave them.
        setupPerZoneLowmemReserve()
        if S.Era.modelsLowmemReserve, zs.allSatisfy({ $0.lowmemReserve != nil }) {
            var table = Array(repeating: 0, count: zoneCount * zoneCount)
            for (i, z) in zs.enumerated() { for j in 0..<zoneCount { table[i * zoneCount + j] = z.lowmemReserve![j] } }
            book.pointee.lowmemReserve = table
        }
        if let c = cma {
            guard (0..<zoneCount).contains(where: { c.base >= zone[$0].startPfn && c.base + c.pages <= zone[$0].endPfn }) else {
                throw ImportError("CMA area \(c.name) [\(hex(c.base)), \(hex(c.base + c.pages))) lies outside every zone")
            }
            cmaAreas = [(c.name, c.base, c.pages, Array(repeating: false, count: c.pages))]
        }
    }

    /// Zone `z`'s pageblock types, free lists (in list order), LRU pages, `nr_free` and counters
    /// from `s`, onto frames the caller has set allocated and pinned and lists it has emptied.
    /// `label` prefixes every error ("zone DMA32: ", or nothing for a one-zone import).
    func loadZone(_ s: ZoneSnapshot, zone z: Int, label: String) throws(ImportError) {
        let pb = geometry.pageblockPages
        guard s.pageblockStart % pb == 0 else { throw ImportError("\(label)pageblocks start at \(hex(s.pageblockStart)), not pageblock aligned") }
        var isolated = 0
        for (k, mt) in s.pageblocks.enumerated() {
            let pfn = s.pageblockStart + k * pb
            guard pfnValid(pfn) else { throw ImportError("\(label)pageblock \(hex(pfn)) lies outside the zone") }
            setBlockType(pfn, mt)
            if mt == .isolate { isolated += 1 }
        }
        let zoneEnd = s.startPfn + s.spanned
        for o in 0..<orders {
            for mt in MigrateType.allCases {
                for pfn in s.freeLists[o][Int(mt.rawValue)] {
                    let size = 1 << o
                    guard pfn & (size - 1) == 0 else { throw ImportError("\(label)free block \(hex(pfn)) order \(o) \(mt) is misaligned") }
                    guard pfn >= s.startPfn, pfn + size <= zoneEnd else {
                        throw ImportError("\(label)free block \(hex(pfn)) order \(o) \(mt) lies outside the zone")
                    }
                    for q in pfn..<(pfn + size) where state[index(q)] != packState(.allocated, 0) {
                        throw ImportError("\(label)free block \(hex(pfn)) order \(o) \(mt) overlaps another free block at \(hex(q))")
                    }
                    for q in (pfn + 1)..<(pfn + size) { state[index(q)] = 0; info[index(q)] = 0 }
                    addToFreeList(pfn, order: o, mt, zone: z, tail: true)
                }
            }
        }
        let movable = AllocInfo(type: .movable, migratable: true, compound: false, handled: false).raw
        for run in s.lru {
            for q in run.pfn..<(run.pfn + run.pages) {
                guard pfnValid(q), q >= s.startPfn, q < zoneEnd, state[index(q)] == packState(.allocated, 0) else {
                    throw ImportError("\(label)LRU page \(hex(q)) is not an in-use page of the zone")
                }
                info[index(q)] = movable
            }
        }
        // File LRU pages (page cache): alloc_contig_range reclaims them (AllocInfo.fileLRU).
        let file = AllocInfo(type: .movable, migratable: true, compound: false, handled: false, fileLRU: true).raw
        for run in s.lruFile {
            // Clamped to the zone: pages outside it are not this zone's (a run may claim 2^40).
            let lo = max(run.pfn, s.startPfn), hi = min(run.pfn + run.pages, zoneEnd)
            guard lo < hi else { continue }
            for q in lo..<hi where info[index(q)] == movable { info[index(q)] = file }
        }
        for o in 0..<orders { nrFree[z * orders + o] = s.nrFree[o] }
        zone[z].nrFreePages = s.nrFreePages
        zone[z].nrFreeCMAPages = s.nrFreeCMAPages
        zone[z].nrIsolatePageblock = isolated
        zone[z].nrPageblockIsolate = isolated
    }

    /// `z->lowmem_reserve[]` as the engine holds it, by engine zone index (0 for `classzone <= z`).
    public func lowmemReserveRow(zone z: Int) -> [Int] {
        (0..<zoneCount).map { lowmemReserve(zone: z, classzone: $0) }
    }
}
