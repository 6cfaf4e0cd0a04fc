/// State import from a real kernel (the oracle, `scripts/oracle/PROTOCOL.md`) and the matching
/// dump: one zone's buddy state in kernel terms — free blocks per `free_area[order].free_list[mt]`
/// in list order, `nr_free[order]`, NR_FREE_PAGES, NR_FREE_CMA_PAGES and pageblock types.
///
/// Everything the kernel did not report free is imported as allocated order-0 pages that nothing
/// can migrate (kernel text, memmap, slab, page tables: `has_unmovable_pages` refuses them), so
/// a foreign free of any order can later be replayed at its exact pfn.

/// One zone's allocator state as the oracle driver dumps it under `zone->lock`.
public struct ZoneSnapshot: Sendable, Equatable {
    public var startPfn: Int
    public var spanned: Int
    public var present: Int
    public var managed: Int
    public var nrFreePages: Int
    public var nrFreeCMAPages: Int
    /// `free_area[o].nr_free`, orders 0...max_order.
    public var nrFree: [Int]
    /// pfn of the first pageblock in `pageblocks`.
    public var pageblockStart: Int
    public var pageblocks: [MigrateType]
    /// `freeLists[order][mt.rawValue]`: head pfns, list head first.
    public var freeLists: [[[Int]]]
    /// In-use pages on the LRU (`PageLRU`), as (first pfn, pages) runs: migratable, so
    /// `has_unmovable_pages` passes them. Imported as movable order-0 pages; not compared.
    public var lru: [(pfn: Int, pages: Int)] = []
    /// The subset of `lru` on file LRU lists (page cache; clean here: the oracle's root is
    /// read-only). Not compared.
    public var lruFile: [(pfn: Int, pages: Int)] = []

    public static func == (a: ZoneSnapshot, b: ZoneSnapshot) -> Bool {
        a.startPfn == b.startPfn && a.spanned == b.spanned && a.present == b.present && a.managed == b.managed
            && a.nrFreePages == b.nrFreePages && a.nrFreeCMAPages == b.nrFreeCMAPages && a.nrFree == b.nrFree
            && a.pageblockStart == b.pageblockStart && a.pageblocks == b.pageblocks && a.freeLists == b.freeLists
    }

    public init(startPfn: Int, spanned: Int, present: Int, managed: Int, nrFreePages: Int,
                nrFreeCMAPages: Int, nrFree: [Int], pageblockStart: Int, pageblocks: [MigrateType],
                freeLists: [[[Int]]]) {
        self.startPfn = startPfn; self.spanned = spanned; self.present = present; self.managed = managed
        self.nrFreePages = nrFreePages; self.nrFreeCMAPages = nrFreeCMAPages; self.nrFree = nrFree
        self.pageblockStart = pageblockStart; self.pageblocks = pageblocks; self.freeLists = freeLists
    }

    /// Empty lists for `orders` orders.
    public static func emptyLists(orders: Int) -> [[[Int]]] {
        Array(repeating: Array(repeating: [], count: MigrateType.count), count: orders)
    }
}

/// Watermarks as the kernel reports them (`zone->_watermark[]` and `watermark_boost`).
public struct ZoneWatermarks: Sendable, Equatable {
    public var min: Int, low: Int, high: Int, boost: Int
    public init(min: Int, low: Int, high: Int, boost: Int) {
        self.min = min; self.low = low; self.high = high; self.boost = boost
    }
}

/// Why a snapshot cannot be imported (names the pfn, order and list).
public struct ImportError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension Machine {
    /// Builds a machine whose only zone is exactly the kernel's: the frames of `snapshot` that
    /// are on a free list are free (same lists, same order), all others allocated and pinned;
    /// counters, `nr_free` and pageblock types are the kernel's values, not recomputed.
    /// `wmark_pages()` includes the boost, so the marks are stored boosted.
    /// - Parameter cma: the driver's CMA area (`cma_declare_contiguous`), already active.
    public static func importing(_ s: ZoneSnapshot, geometry g: Geometry, name: String = "Normal",
                                 watermarks w: ZoneWatermarks,
                                 cma: (name: String, base: Int, pages: Int)? = nil,
                                 perCPUListsEnabled: Bool = false) throws(ImportError) -> Machine<S> {
        guard s.spanned > 0, s.startPfn >= 0 else { throw ImportError("zone spans no pages") }
        guard s.nrFree.count == g.orderCount, s.freeLists.count == g.orderCount else {
            throw ImportError("snapshot has \(s.nrFree.count) orders, the geometry \(g.orderCount)")
        }
        // The kernel keeps free_area[o].nr_free equal to the blocks on the order's lists (every
        // list, ISOLATE included, under zone->lock): a log that disagrees was misread or torn.
        for o in 0..<g.orderCount {
            let listed = s.freeLists[o].reduce(0) { $0 + $1.count }
            guard listed == s.nrFree[o] else {
                throw ImportError("nr_free[\(o)] is \(s.nrFree[o]) but the order-\(o) lists hold \(listed) blocks")
            }
        }
        let unit = Swift.max(g.maxOrderPages, g.pageblockPages)
        let ramStart = s.startPfn & ~(unit - 1)
        let end = (s.startPfn + s.spanned + unit - 1) & ~(unit - 1)
        var layout = MachineLayout(geometry: g, ramStartPfn: ramStart,
                                   zones: [ZoneSpec(name: name, pages: end - ramStart)],
                                   memoryBlockPages: end - ramStart)
        layout.perCPUListsEnabled = perCPUListsEnabled
        // The oracle kernel is User-Mode Linux, built without CONFIG_TRANSPARENT_HUGEPAGE.
        layout.transparentHugepage = false
        if let problem = layout.validate() { throw ImportError("cannot model the zone: \(problem)") }
        let m = Machine<S>(layout: layout)
        try m.load(s, watermarks: w, cma: cma)
        return m
    }

    /// Replaces the whole state of zone 0 by `s` (see `importing`).
    func load(_ s: ZoneSnapshot, watermarks w: ZoneWatermarks,
              cma: (name: String, base: Int, pages: Int)?) throws(ImportError) {
        let pinned = AllocInfo(type: .unmovable, migratable: false, compound: false, handled: false).raw
        for i in 0..<frameCount {
            state[i] = packState(.allocated, 0); info[i] = pinned
            next[i] = frameNil; prev[i] = frameNil
        }
        let lists = zoneCount * orders * MigrateType.count
        for l in 0..<lists { listHead[l] = frameNil; listTail[l] = frameNil; listCount[l] = 0 }
        for o in 0..<(zoneCount * orders) { nrFree[o] = 0 }
        zone[0].startPfn = s.startPfn
        zone[0].endPfn = s.startPfn + s.spanned
        zone[0].allocatableFree = 0; zone[0].isolatedFree = 0
        zone[0].managedPages = s.managed
        zone[0].wmarkMin = w.min + w.boost; zone[0].wmarkLow = w.low + w.boost; zone[0].wmarkHigh = w.high + w.boost

        try loadZone(s, zone: 0, label: "")
        if let c = cma {
            guard pfnValid(c.base), pfnValid(c.base + c.pages - 1) else {
                throw ImportError("CMA area \(c.name) [\(hex(c.base)), \(hex(c.base + c.pages))) lies outside the zone")
            }
            cmaAreas = [(c.name, c.base, c.pages, Array(repeating: false, count: c.pages))]
        }
    }

    /// The state of zone `z` in the same terms, pageblocks from `pageblockStart` (count as given).
    public func snapshot(zone z: Int = 0, pageblockStart: Int, pageblockCount: Int) -> ZoneSnapshot {
        var lists = ZoneSnapshot.emptyLists(orders: orders)
        for o in 0..<orders {
            for mt in MigrateType.allCases { lists[o][Int(mt.rawValue)] = listContents(zone: z, order: o, mt) }
        }
        let pb = geometry.pageblockPages
        let blocks: [MigrateType] = (0..<pageblockCount).map { k in
            let pfn = pageblockStart + k * pb
            return pfnValid(pfn) ? blockType(pfn) : .movable
        }
        let zc = zone[z]
        return ZoneSnapshot(startPfn: zc.startPfn, spanned: zc.endPfn - zc.startPfn, present: zc.endPfn - zc.startPfn,
                            managed: zc.managedPages, nrFreePages: zc.nrFreePages, nrFreeCMAPages: zc.nrFreeCMAPages,
                            nrFree: (0..<orders).map { nrFree[z * orders + $0] },
                            pageblockStart: pageblockStart, pageblocks: blocks, freeLists: lists)
    }
}
