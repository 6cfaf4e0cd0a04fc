import BuddyCore

/// The simulated kernel of a log with several zones (the x86_64 oracle: DMA, DMA32, Normal) and
/// its memory-block commands. A one-zone log (User-Mode Linux) imports as before.
extension Machine {
    /// The machine of `log`'s state 0: `importing(_:geometry:…)` for one zone, else every zone
    /// with the kernel's marks and `lowmem_reserve` (`importing(zones:…)`).
    public static func importing(log: OracleLog, perCPUListsEnabled: Bool = false) throws(ImportError) -> Machine<S> {
        let m = try importingZones(log: log, perCPUListsEnabled: perCPUListsEnabled)
        try m.importCompoundPages(log.compoundPages)
        return m
    }

    private static func importingZones(log: OracleLog, perCPUListsEnabled: Bool) throws(ImportError) -> Machine<S> {
        guard log.zones.count > 1 || log.memoryBlockPages != nil else {
            return try importing(log.initial.snapshot, geometry: log.geometry, name: log.zoneName,
                                 watermarks: log.watermarks, cma: log.cma, perCPUListsEnabled: perCPUListsEnabled)
        }
        guard !perCPUListsEnabled else { throw ImportError("--pcp is User-Mode Linux only (one zone)") }
        guard let blockPages = log.memoryBlockPages else {
            throw ImportError("a log of \(log.zones.count) zones needs its 'memory_block' record")
        }
        return try importing(zones: log.importedZones(log.initial), geometry: log.geometry,
                             memoryBlockPages: blockPages, cma: log.cma, memmapZones: log.engineMemmapZones,
                             hotpluggable: log.hotaddRange)
    }
}

extension OracleLog {
    /// x86_64's zone types in `enum zone_type` order (CONFIG_ZONE_DMA, CONFIG_ZONE_DMA32, no
    /// HIGHMEM, no ZONE_DEVICE): the index of a `lowmem_reserve` entry.
    static let x86ZoneTypes = ["DMA", "DMA32", "Normal", "Movable"]

    /// The zones of `state` for `Machine.importing(zones:…)`: the state's own zone records when
    /// it has them (x86_64), else the header's; `lowmem_reserve` re-indexed from kernel zone
    /// types to this log's zones.
    public func importedZones(_ state: OracleState) -> [ImportedZone] {
        let records = state.zoneRecords.count == zones.count ? state.zoneRecords : zones
        let noMemmap = [state.noMemmapBlocks] + state.otherNoMemmap
        return zip(records, state.zones).enumerated().map { z, pair in
            let (rec, snap) = pair
            var row: [Int]? = []
            for z in zones {
                guard let t = Self.x86ZoneTypes.firstIndex(of: z.name), t < rec.lowmemReserve.count else { row = nil; break }
                row?.append(rec.lowmemReserve[t])
            }
            // A `memmap_zone` range is RAM-less too (init_unavailable_range): a hole of its zone.
            let other = memmapZones.filter { $0.zone == rec.name }.map(\.pfns)
            let holes = Self.holes(snap, noMemmap: z < noMemmap.count ? noMemmap[z] : [], pageblockPages: geometry.pageblockPages)
            return ImportedZone(name: rec.name, snapshot: snap, watermarks: rec.watermarks, lowmemReserve: row,
                                holes: Self.merged(holes + other))
        }
    }

    /// The `memmap_zone` records with their owners as engine zone indices (this log's zones).
    public var engineMemmapZones: [MemmapZoneRange] {
        memmapZones.compactMap { r in zones.firstIndex { $0.name == r.owner }.map { MemmapZoneRange(pfns: r.pfns, zone: $0) } }
    }

    /// Ranges sorted, overlapping and adjacent ones merged.
    static func merged(_ ranges: [Range<Int>]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        for r in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) where !r.isEmpty {
            if let last = out.last, last.upperBound >= r.lowerBound {
                out[out.count - 1] = last.lowerBound..<max(last.upperBound, r.upperBound)
            } else { out.append(r) }
        }
        return out
    }

    /// The pageblocks marked `-` (no memmap) as pfn ranges inside the zone's span, runs merged.
    static func holes(_ s: ZoneSnapshot, noMemmap: [Int], pageblockPages pb: Int) -> [Range<Int>] {
        var out: [Range<Int>] = []
        for k in noMemmap {
            let r = max(s.pageblockStart + k * pb, s.startPfn)..<min(s.pageblockStart + (k + 1) * pb, s.startPfn + s.spanned)
            guard !r.isEmpty else { continue }
            if let last = out.last, last.upperBound == r.lowerBound { out[out.count - 1] = last.lowerBound..<r.upperBound } else { out.append(r) }
        }
        return out
    }
}

/// A kernel model of several zones, compared zone by zone (`LockstepMachine.zoned`).
protocol ZonedKernelModel: KernelModel {
    var zoneCount: Int { get }
    /// Zone `z`'s state, pageblocks over the same range as `like`.
    func snapshot(zone z: Int, like: ZoneSnapshot) -> ZoneSnapshot
    /// Zone `z`'s managed and present pages, marks (min, low, high, boost included) and
    /// `lowmem_reserve` by engine zone index.
    func zoneRecord(zone z: Int) -> (managed: Int, present: Int, marks: [Int], lowmem: [Int])
    /// Zone `z`'s pfn range and its free max-order blocks on non-ISOLATE lists.
    func zoneRange(zone z: Int) -> Range<Int>
    func freeMaxOrderBlocks(zone z: Int) -> [Int]
    func nrFreePages(zone z: Int) -> Int
    func nrFreeCMAPages(zone z: Int) -> Int
    /// The first zone of a driver request's zonelist (`gfp_zone()` of a mask without a zone
    /// modifier or `__GFP_HIGHMEM`: the top zone that is not Movable).
    var zonelistTop: Int { get }
    /// The engine index of the zone named `name` (`DMA`, `DMA32`), nil when the machine has none.
    func zoneIndex(named name: String) -> Int?
    /// The memory block unit, and whether the block holding `pfn` is online.
    var memoryBlockPages: Int { get }
    func blockOnline(containing pfn: Int) -> Bool
    /// Whether `range` holds a pfn without RAM (a hole, or outside every zone).
    func hasAbsent(_ range: Range<Int>) -> Bool
    /// Memory blocks (pfn / block pages) of the boot's hidden RAM not hot-added yet, ascending.
    func blocksToHotAdd() -> [Int]
}

extension SimulatedKernel: ZonedKernelModel {
    var zoneCount: Int { m.zoneCount }

    func snapshot(zone z: Int, like k: ZoneSnapshot) -> ZoneSnapshot {
        var s = m.snapshot(zone: z, pageblockStart: k.pageblockStart, pageblockCount: k.pageblocks.count)
        s.present = m.zone[z].presentPages
        return s
    }

    func zoneRecord(zone z: Int) -> (managed: Int, present: Int, marks: [Int], lowmem: [Int]) {
        let c = m.zone[z]
        return (c.managedPages, c.presentPages, [c.wmarkMin, c.wmarkLow, c.wmarkHigh], m.lowmemReserveRow(zone: z))
    }

    func zoneRange(zone z: Int) -> Range<Int> { m.zone[z].startPfn..<m.zone[z].endPfn }

    func freeMaxOrderBlocks(zone z: Int) -> [Int] {
        MigrateType.allCases.filter { $0 != .isolate }.flatMap { m.listContents(zone: z, order: m.geometry.maxOrder, $0) }.sorted()
    }

    func nrFreePages(zone z: Int) -> Int { m.zone[z].nrFreePages }
    func nrFreeCMAPages(zone z: Int) -> Int { m.zone[z].nrFreeCMAPages }
    var zonelistTop: Int { m.zonelistHighest(movable: false) }
    func zoneIndex(named name: String) -> Int? { m.layout.zones.firstIndex { $0.name == name } }

    var memoryBlockPages: Int { m.layout.memoryBlockPages }

    func blockOnline(containing pfn: Int) -> Bool {
        let b = (pfn - m.ramStart) / m.layout.memoryBlockPages
        return pfn >= m.ramStart && b < m.blockOnline.count && m.blockOnline[b]
    }

    func hasAbsent(_ range: Range<Int>) -> Bool { m.firstAbsentPfn(range.lowerBound, range.upperBound) != nil }

    func blocksToHotAdd() -> [Int] {
        let bp = m.layout.memoryBlockPages, r = m.layout.hotpluggableRange
        return stride(from: r.lowerBound, to: r.upperBound, by: bp).filter { !m.isHotAdded($0) }.map { $0 / bp }
    }

    /// `offline PFN NR` / `online PFN NR` / `hotadd PFN NR`: the range must be exactly one memory
    /// block (the driver answers -EINVAL otherwise, as `find_memory_block` of a partial range
    /// would; `hotadd` also outside the boot's `hotadd_range`).
    func applyHotplug(_ command: OracleCommand) -> OracleResult {
        let bp = m.layout.memoryBlockPages
        let (pfn, pages): (Int, Int) = switch command {
        case let .offline(pfn, pages), let .online(pfn, pages), let .hotadd(pfn, pages): (pfn, pages)
        default: (0, 0)
        }
        guard pages == bp, pfn >= m.ramStart, (pfn - m.ramStart) % bp == 0 else { return OracleResult("einval") }
        let b = (pfn - m.ramStart) / bp
        let r: Machine<S>.ContigResult
        switch command {
        case .online: r = m.onlineBlock(b)
        case .hotadd:
            // add_memory() of a block already added: register_memory_resource() -EEXIST
            if m.isHotAdded(pfn) { return OracleResult("errno=-17") }
            r = m.hotAddBlock(b)
        default: r = m.offlineBlock(b)
        }
        return OracleResult(r.result.rawValue)
    }
}
