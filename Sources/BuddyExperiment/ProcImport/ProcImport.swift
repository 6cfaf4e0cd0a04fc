import BuddyBounds
import BuddyCore

/// `machine: { from_proc: { zoneinfo: F, pagetypeinfo: F, buddyinfo: F } }` — a machine and its
/// starting state rebuilt from a real machine's `/proc` files (`ProcStatePlanner`).
public struct ProcImport: Sendable, Equatable {
    /// The three paths as written.
    public var zoneinfo: String
    public var pagetypeinfo: String
    public var buddyinfo: String
    /// The state with the pageblock runs in `MigrateType` order (checked when decoding).
    public var state: InitialState
    /// What the import could not reproduce, one line each (shown by `validate` and in docs).
    public var notes: [String]
    /// What placement needs, to redo it per seed.
    var inputs: PlacementInputs

    /// The starting state for `seed`: the pageblock runs of each zone in a seed-chosen order
    /// (SplitMix64 of the seed); where that order cannot hold the counted free blocks, the
    /// canonical `MigrateType` order (`state`). Same seed, same state.
    public func initialState(seed: UInt64) -> InitialState {
        var rng = SplitMix64(seed: seed ^ 0x7072_6f63_5f73_7461)  // "proc_sta"
        var order = MigrateType.allCases
        for i in stride(from: order.count - 1, to: 0, by: -1) {
            order.swapAt(i, Int(rng.below(UInt64(i + 1))))
        }
        if case .success(let seeded) = ProcStatePlanner.place(inputs, typeOrder: order) { return seeded }
        return state
    }
}

/// Per-zone counts the placement works from.
struct PlacementInputs: Sendable, Equatable {
    struct Zone: Sendable, Equatable {
        var name: String
        /// Online pages from the zone start (whole memory blocks).
        var onlinePages: Int
        /// Pageblocks counted per migratetype (raw value index).
        var blocks: [Int]
        /// Free blocks per migratetype (raw value index) per order, and the pagetypeinfo line.
        var free: [[Int]]
        var lines: [Int]
    }
    var layout: MachineLayout
    var zones: [Zone]
    var pagetypeinfoFile: String
}

/// Builds a `MachineLayout` and an `InitialState` whose `/proc/buddyinfo` and the free and
/// block-count tables of `/proc/pagetypeinfo` equal the files'.
///
/// - Zones: every zone with `spanned > 0`, from `start_pfn` (rounded down to the largest buddy
///   block) to `start_pfn + spanned` (rounded up); a gap before a zone is added to the zone
///   before it. `max_order` = buddyinfo's columns − 1; `pageblock_order` from pagetypeinfo.
/// - Online memory: the pageblocks pagetypeinfo counts (it skips offline and absent memory,
///   `pagetypeinfo_showblockcount` → `pfn_to_online_page`) are taken to be the first ones of the
///   zone; the rest of the zone's memory blocks are offline (holes and unplugged memory alike —
///   the files do not say where the holes are).
/// - Pageblock types: within the online part, one contiguous run per migratetype of exactly the
///   counted length, the runs in a seed-chosen order (`ProcImport.initialState(seed:)`; the
///   `MigrateType` order, checked when decoding, where a seeded order cannot hold the blocks).
/// - Free blocks: per type, largest order first, each at the lowest aligned free spot of its
///   type's run whose buddy still holds a page that is not free; where that page is not yet
///   allocated it is pinned as allocated, so `__free_one_page` can never merge two listed blocks
///   and the free lists hold exactly the counted blocks.
/// - Everything else online is allocated (reserved kernel memory, `present − managed`, included),
///   typed after its pageblock.
enum ProcStatePlanner {
    static func plan(zoneinfo zi: ZoneinfoFile, buddyinfo bi: BuddyinfoFile, pagetypeinfo pt: PagetypeinfoFile,
                     files: (zoneinfo: String, pagetypeinfo: String, buddyinfo: String),
                     base: Geometry, memoryBlockPages: Int?, maxPages: Int = .max) throws(ProcFileError) -> (MachineLayout, ProcImport) {
        var g = base
        g.maxOrder = bi.zones[0].counts.count - 1
        g.pageblockOrder = pt.pageblockOrder
        guard (1...15).contains(g.maxOrder), g.pageblockOrder <= g.maxOrder else {
            throw ProcFileError(file: files.buddyinfo, line: bi.zones[0].line,
                                message: "max order \(g.maxOrder) with pageblock order \(g.pageblockOrder) cannot be modelled")
        }
        let unit = max(g.maxOrderPages, g.pageblockPages)
        var notes: [String] = []

        // Zones.
        let live = zi.zones.filter { $0.spanned > 0 }
        guard !live.isEmpty else { throw ProcFileError(file: files.zoneinfo, line: 1, message: "no zone with spanned > 0") }
        var zones: [ZoneSpec] = []
        var ramStart = 0
        var end = 0
        for (i, z) in live.enumerated() {
            guard let start = z.startPfn else {
                throw ProcFileError(file: files.zoneinfo, line: z.line, message: "zone \(z.name) has no start_pfn")
            }
            let lo = start / unit * unit, hi = (start + z.spanned + unit - 1) / unit * unit
            if i == 0 { ramStart = lo; end = lo }
            guard lo >= end else {
                throw ProcFileError(file: files.zoneinfo, line: z.line, message: "zone \(z.name) overlaps the zone before it")
            }
            if lo > end { zones[zones.count - 1].pages += lo - end }
            zones.append(ZoneSpec(name: z.name, pages: hi - lo))
            end = hi
            // The same 4 TiB cap as `zones:` (MachineDecoder.maxBytes), before any allocation.
            guard (end - ramStart) <= min(InputBounds.maxBytes >> g.pageShift, maxPages) else {
                throw ProcFileError(file: files.zoneinfo, line: z.marks["spanned"]?.0 ?? z.line, column: z.marks["spanned"]?.1 ?? 0,
                                    message: "zone \(z.name) ends past \(maxPages < InputBounds.maxBytes >> g.pageShift ? "\(maxPages) pages" : "4 TiB") "
                                    + "of RAM (the largest machine buddylab simulates)")
            }
        }

        // Pageblocks counted per zone (= online), free blocks per zone and type.
        var counted: [[MigrateType: Int]] = []
        for z in zones {
            guard let row = pt.blocks.first(where: { $0.zone == z.name }) else {
                throw ProcFileError(file: files.pagetypeinfo, line: 1, message: "no block counts for zone \(z.name)")
            }
            // Counted pageblocks must fit in the zone (the table is indexed by them).
            let blocks = row.counts.values.reduce(0, +)
            guard blocks <= z.pages / g.pageblockPages else {
                throw ProcFileError(file: files.pagetypeinfo, line: row.line,
                                    message: "zone \(z.name) has \(blocks) pageblocks counted but spans only \(z.pages / g.pageblockPages)")
            }
            counted.append(row.counts)
            guard let b = bi.zones.first(where: { $0.name == z.name }) else {
                throw ProcFileError(file: files.buddyinfo, line: 1, message: "no line for zone \(z.name)")
            }
            // buddyinfo's nr_free per order must be the sum of pagetypeinfo's lists.
            for o in 0...g.maxOrder {
                let sum = pt.free.filter { $0.zone == z.name }.reduce(0) { $0 + ($1.counts.count > o ? $1.counts[o] : 0) }
                guard sum == b.counts[o] else {
                    throw ProcFileError(file: files.buddyinfo, line: b.line, message: "zone \(z.name) order \(o): buddyinfo "
                                        + "has \(b.counts[o]) free blocks, pagetypeinfo's lists sum to \(sum) (files from different moments?)")
                }
            }
        }

        // Memory block: the largest power of two ≤ 128 MiB dividing every zone and online part.
        let pb = g.pageblockPages
        let onlineNeeded = counted.map { $0.values.reduce(0, +) * pb }
        var block = memoryBlockPages ?? 0
        if block == 0 {
            block = unit
            var candidate = max(unit, (128 << 20) >> g.pageShift)
            while candidate >= unit {
                if zones.allSatisfy({ $0.pages % candidate == 0 }) && onlineNeeded.allSatisfy({ $0 % candidate == 0 }) {
                    block = candidate; break
                }
                candidate >>= 1
            }
        }
        let layout = MachineLayout(geometry: g, ramStartPfn: ramStart, zones: zones, memoryBlockPages: block)
        if let problem = layout.validate() {
            throw ProcFileError(file: files.zoneinfo, line: 1, message: "the zones cannot be modelled: \(problem)")
        }

        // Online parts, then placement in the canonical type order.
        var inputZones: [PlacementInputs.Zone] = []
        for (zi, z) in zones.enumerated() {
            let online = min(z.pages, (onlineNeeded[zi] + block - 1) / block * block)
            if online > onlineNeeded[zi] {
                notes.append("zone \(z.name): \((online - onlineNeeded[zi]) / pb) pageblocks beyond the counted ones share an online memory block; they are MOVABLE and allocated")
            }
            var free = [[Int]](repeating: [Int](repeating: 0, count: g.orderCount), count: MigrateType.count)
            var lines = [Int](repeating: 1, count: MigrateType.count)
            for row in pt.free where row.zone == z.name {
                for o in 0..<min(g.orderCount, row.counts.count) { free[Int(row.type.rawValue)][o] = row.counts[o] }
                lines[Int(row.type.rawValue)] = row.line
                // Free lists of a type with no counted pageblocks cannot be rebuilt.
                if (counted[zi][row.type] ?? 0) == 0 && row.counts.contains(where: { $0 > 0 }) {
                    throw ProcFileError(file: files.pagetypeinfo, line: row.line,
                                        message: "free blocks on \(row.type.procName) in zone \(z.name) but no \(row.type.procName) pageblock")
                }
            }
            inputZones.append(PlacementInputs.Zone(name: z.name, onlinePages: online,
                                                   blocks: MigrateType.allCases.map { counted[zi][$0] ?? 0 },
                                                   free: free, lines: lines))
        }
        let inputs = PlacementInputs(layout: layout, zones: inputZones, pagetypeinfoFile: files.pagetypeinfo)
        let state: InitialState
        switch place(inputs, typeOrder: MigrateType.allCases) {
        case .success(let s): state = s
        case .failure(let e): throw e
        }
        let live2 = live.map { "\($0.name): spanned \($0.spanned), present \($0.present), managed \($0.managed)" }
        notes.append("present − managed pages (reserved) are allocated; engine managed_pages = online pages (" + live2.joined(separator: "; ") + ")")
        let imp = ProcImport(zoneinfo: files.zoneinfo, pagetypeinfo: files.pagetypeinfo, buddyinfo: files.buddyinfo,
                             state: state, notes: notes, inputs: inputs)
        return (layout, imp)
    }
}

extension ProcImport {
    /// The machine and starting state of three `/proc` texts (`zoneinfo`, `pagetypeinfo`,
    /// `buddyinfo`, each with the name its errors use): one function over text, used by
    /// `from_proc:` decoding and by the fuzz target. `maxPages` bounds the machine (its
    /// placement works page by page) below the 4 TiB cap.
    public static func read(zoneinfo: (file: String, text: String), pagetypeinfo: (file: String, text: String),
                            buddyinfo: (file: String, text: String), geometry: Geometry, memoryBlockPages: Int?,
                            maxPages: Int = .max) throws(ProcFileError) -> (MachineLayout, ProcImport) {
        try ProcStatePlanner.plan(
            zoneinfo: try ZoneinfoFile(text: zoneinfo.text, file: zoneinfo.file),
            buddyinfo: try BuddyinfoFile(text: buddyinfo.text, file: buddyinfo.file),
            pagetypeinfo: try PagetypeinfoFile(text: pagetypeinfo.text, file: pagetypeinfo.file),
            files: (zoneinfo.file, pagetypeinfo.file, buddyinfo.file), base: geometry,
            memoryBlockPages: memoryBlockPages, maxPages: maxPages)
    }
}

extension ProcStatePlanner {
    /// Pageblock runs in `typeOrder` within each zone's online part, free blocks placed in them.
    static func place(_ inputs: PlacementInputs, typeOrder: [MigrateType]) -> Result<InitialState, ProcFileError> {
        let layout = inputs.layout
        let g = layout.geometry, pb = g.pageblockPages, ramStart = layout.ramStartPfn
        var types = [UInt8](repeating: MigrateType.movable.rawValue, count: layout.totalPages / pb)
        var offline: [Int] = []
        var placer = FreeBlockPlacer(layout: layout)
        for (zi, z) in inputs.zones.enumerated() {
            let zoneStart = layout.zoneStart(zi), zoneEnd = zoneStart + layout.zones[zi].pages
            var b = (zoneStart + z.onlinePages - ramStart) / layout.memoryBlockPages
            while b < (zoneEnd - ramStart) / layout.memoryBlockPages { offline.append(b); b += 1 }
            placer.markOffline(from: zoneStart + z.onlinePages, to: zoneEnd)
            var cursor = zoneStart
            for t in typeOrder {
                let n = z.blocks[Int(t.rawValue)]
                guard n > 0 else { continue }
                let runStart = cursor
                for k in 0..<n { types[(cursor - ramStart) / pb + k] = t.rawValue }
                cursor += n * pb
                for o in stride(from: g.maxOrder, through: 0, by: -1) {
                    let count = z.free[Int(t.rawValue)][o]
                    guard count > 0 else { continue }
                    guard placer.place(count: count, order: o, in: runStart..<cursor) else {
                        return .failure(ProcFileError(file: inputs.pagetypeinfoFile, line: z.lines[Int(t.rawValue)],
                                                      message: "cannot place \(count) free blocks of order \(o) on \(t.procName) "
                                                      + "in zone \(z.name): its \(n) pageblocks are too full"))
                    }
                }
            }
        }
        return .success(InitialState(pageblockTypes: types, freeBlocks: placer.placed, offlineBlocks: offline))
    }
}

/// Page-level placement of free blocks (see `ProcStatePlanner`).
struct FreeBlockPlacer {
    let layout: MachineLayout
    /// Per page: 0 unassigned, 1 free, 2 pinned allocated, 3 offline.
    var page: [UInt8]
    var placed: [FreeBlockSpec] = []

    init(layout: MachineLayout) {
        self.layout = layout
        page = [UInt8](repeating: 0, count: layout.totalPages)
    }

    mutating func markOffline(from: Int, to: Int) {
        for p in from..<to { page[p - layout.ramStartPfn] = 3 }
    }

    /// Places `count` blocks of `order` inside `run` (pfns), lowest address first.
    mutating func place(count: Int, order o: Int, in run: Range<Int>) -> Bool {
        let size = 1 << o
        let base = layout.ramStartPfn
        var p = (run.lowerBound - base + size - 1) / size * size + base
        var left = count
        while left > 0 {
            guard p + size <= run.upperBound else { return false }
            // The range must be unassigned; skip past the first assigned page.
            if let busy = (p..<(p + size)).first(where: { page[$0 - base] != 0 }) {
                p = (busy + 1 - base + size - 1) / size * size + base
                continue
            }
            if o < layout.geometry.maxOrder && !protectBuddy(of: p, order: o) { p += size; continue }
            for q in p..<(p + size) { page[q - base] = 1 }
            placed.append(FreeBlockSpec(pfn: p, order: o))
            left -= 1
            p += size
        }
        return true
    }

    /// Makes sure the buddy of [p, p+2^o) is not entirely free, pinning one page if needed.
    mutating func protectBuddy(of p: Int, order o: Int) -> Bool {
        let base = layout.ramStartPfn
        let q = ((p - base) ^ (1 << o)) + base
        guard q >= base, q + (1 << o) <= base + layout.totalPages else { return true }  // outside RAM
        var unassigned: Int?
        for r in q..<(q + (1 << o)) {
            switch page[r - base] {
            case 2, 3: return true
            case 0: if unassigned == nil { unassigned = r }
            default: break
            }
        }
        guard let pin = unassigned else { return false }
        page[pin - base] = 2
        return true
    }
}
