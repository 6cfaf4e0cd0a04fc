import BuddyCore

/// Seeded random command sequences for the lockstep test, chosen against a model of the current
/// state so that they are valid: frees name live handles, unisolations name isolated ranges,
/// contiguous ranges lie inside the zone (half of them on a free max-order block, where they
/// can succeed), allocations stop while less than `lowWater` of the zone is free. Contiguous
/// ranges and isolations avoid pageblocks that held kernel pages at import (the log cannot say
/// which of those the kernel could migrate: `KernelModel.touchesKernelPages`).
///
/// The mix: allocations of orders 0–10 of all three types, frees, `alloc_contig_range` at
/// pageblock and at max-order granularity, isolate / unisolate (plain and memory-offline), CMA
/// alloc (with release through `free`), drains and watermark checks. Stretches of
/// `pressureEvery` commands cycle normal, normal, normal, pressure — pressure: high-order
/// allocations without the low-water pause, until allocations fail and watermark checks say
/// `fail`. Each pressure stretch opens with two boundary probes (`high`, then `low`):
/// unmovable allocations (which never touch CMA, so each lowers NR_FREE_PAGES −
/// NR_FREE_CMA_PAGES by exactly its size) bring the free pages `zone_watermark_ok_safe` counts to
/// one above the mark on the generator's model, check it, allocate one page more and check again
/// — `__zone_watermark_ok`'s `free_pages <= mark` edge. On the model the two checks straddle the
/// mark exactly; on the real kernel they land near it, not on it: the batch boot's free count
/// differs from the probe boot's, on which the commands were chosen (measured on 6.1, seed 1:
/// 64 pages, so both checks of the `high` probe said `fail`). No driver allocation wakes kswapd
/// (its masks have no `__GFP_KSWAPD_RECLAIM`), however low the probe takes the zone.
///
/// `edges` (the default; `buddylab oracle --no-edges` turns it off) draws compound (`comp`)
/// allocations and `__GFP_HIGH` under pressure too, cycles normal, normal, pressure, squeeze,
/// normal and adds a `min` probe after the squeeze — squeeze: large, then small allocations of
/// every type and large CMA allocations until the zone sits at its min mark (near OOM, where only
/// scattered small blocks are left, so the fallback path steals from blocks it cannot claim:
/// 6.1's `!can_steal` branch, 6.12's `__rmqueue_steal`). Routine since session 6, when the
/// driver began stopping the guest's kswapd and kcompactd at boot (PROTOCOL.md, "Quiet guest"):
/// before, below LOW the guest's kswapd reclaimed concurrently with the commands and the lockstep
/// replayed its page events after the command they overlapped (seeds 2 and 3 of a 1,000-command
/// run parted at a `cma_alloc` after 255–390 such events on one run and agreed on a rerun). With
/// the quiet guest: 6.1 and 6.12 seeds 1–4 × 2,000, 0 mismatches (after one engine fix it found:
/// 6.12's HIGHATOMIC typing of blocks above pageblock_order).
///
/// `anon` mappings (5 % of normal commands while the zone is far above HIGH) give the kernel LRU
/// pages; contig and isolation are then drawn over pageblocks whose pages in use are all
/// migratable (`rangeOverAnon`), so `alloc_contig_range` migrates them.
public struct CommandGenerator {
    var rng: SplitMix64
    /// Isolated ranges not yet undone (pfn, pages).
    var isolated: [(Int, Int)] = []
    /// Keep at least this fraction of the zone free (allocations pause below it).
    public var lowWater = 0.35
    /// Length of a phase; phases cycle normal, normal, normal, pressure.
    public var pressureEvery = 200
    var generated = 0
    /// An active boundary probe: which mark, how many of its checks are done, commands left.
    /// `cap`: the largest bite (order) still worth trying — lowered when a bite fails for want
    /// of a free block that large; `last`: the free count when the previous bite was chosen.
    var boundary: (mark: Int, checks: Int, budget: Int, cap: Int, last: Int)?
    var probedThisStretch = 0
    /// The near-OOM cycle (squeeze and the `min` probe): the routine one (see above).
    public var edges = true
    /// Draw `anon` mappings (routine in both modes; with per-cpu lists on since an unmap's own
    /// mmu_gather page, GFP_NOWAIT, is replayed as a non-blocking request:
    /// `Machine.foreignAllocThroughPCP`).
    public var anonymous = true
    /// Draw `compact` (whole-zone compaction) commands (routine; `oracle --no-compaction` turns
    /// it off). Made exact by three fixes the first runs found: the guest's LRU membership taken
    /// from the kernel's `lru` runs, `alloc_contig_range` dropping clean page cache instead of
    /// migrating it (`lru_file`), migration targets always movable; and by keeping contig and
    /// cma_alloc over migratable pages far above HIGH (`migrationSafe`). Measured: seeds 1–3 ×
    /// 2,000 on 6.1 and 6.12, 0 mismatches, 2–4 compactions and 1,012–1,746 pages moved per run.
    public var compaction = true
    /// A large CMA allocation of this squeeze failed: the area is fragmented, so the squeeze
    /// draws no more of them (each failed `cma_alloc` tries every aligned position of the area,
    /// a costly search on both sides that changes nothing).
    var squeezeCMAFailed = false
    /// The last direct compaction drawn: retried now and then, as the slow path retries one
    /// request (`should_compact_retry`), so failures reach `defer_compaction`'s window.
    var lastDirectCompaction: OracleCommand?
    /// Pages a routine `__GFP_HIGH` request must leave above MIN (non-CMA free pages, on the
    /// model): covers the probe boot's few pages of boot noise (measured: 1–10 pages on 6.1).
    public var minMargin = 64
    /// The squeeze's opening highatomic cycle (CommandGenerator+Reserve.swift), while active.
    var reserveCycle: ReserveCycle?
    /// The model's answer to the previous command.
    var lastResult: OracleResult?

    public init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    mutating func below(_ n: Int) -> Int { Int(rng.below(UInt64(max(n, 1)))) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }

    /// `count` commands, each applied to `model` as it is chosen.
    public mutating func generate(count: Int, against model: any KernelModel) -> [OracleCommand] {
        var out: [OracleCommand] = []
        out.reserveCapacity(count)
        while out.count < count {
            let stretch = generated / pressureEvery
            // Phases: 0 normal, 1 normal, 2 pressure, 3 squeeze, 4 normal (edges); the routine
            // cycle is normal, normal, pressure, squeeze — its squeeze stops `minMargin` above MIN.
            let phase = edges ? stretch % 5 : [0, 1, 2, 3][stretch % 4]
            // Boundary probes: a pressure stretch opens with `high`, then `low`; `min` comes right
            // after the squeeze (edges only: the zone is near min there; see nextAtBoundary).
            let at = generated % pressureEvery
            if boundary == nil, phase == 2, at == 0 { probedThisStretch = 0 }
            if boundary == nil, phase == 2, probedThisStretch < 2 {
                // At the stretch's start the zone still has whole max-order blocks (the normal
                // phases keep a third of it free), so the bites are large and few.
                boundary = (mark: probedThisStretch == 0 ? 2 : 1, checks: 0, budget: 200,
                            cap: model.geometry.maxOrder, last: -1)
                probedThisStretch += 1
            }
            if boundary == nil, edges, phase == 4, at == 0 {
                boundary = (mark: 0, checks: 0, budget: 160, cap: model.geometry.maxOrder, last: -1)
            }
            if edges, phase == 3, at == 0 {
                reserveCycle = ReserveCycle(order: model.geometry.maxOrder, cap: model.geometry.maxOrder)
            }
            let c: OracleCommand
            if let step = nextInReserveCycle(model) { c = step }
            else if let probe = nextAtBoundary(model) { c = probe }
            else if phase == 2 { c = nextUnderPressure(model) }
            else if phase == 3 { c = nextSqueezing(model) }
            else { c = next(model) }
            generated += 1
            let result = model.apply(c)
            lastResult = result
            if case .cmaAlloc = c, phase == 3 { squeezeCMAFailed = result.status != "ok" }
            if at == 0 { squeezeCMAFailed = false }
            if case let .isolate(pfn, pages, _) = c { isolated.append((pfn, pages)) }
            out.append(c)
        }
        return out
    }

    mutating func next(_ model: any KernelModel) -> OracleCommand {
        let g = model.geometry
        let zone = model.zoneRange
        let live = model.liveHandles
        let scarce = Double(model.nrFreePages) < lowWater * Double(zone.count)
        let roll = below(100)
        switch roll {
        case 0..<5 where anonymous && !scarce && anonRoom(model):
            // LRU pages for contig, isolation and the fallback's claim count to meet.
            return .anon(pages: chance(80) ? 1 + below(64) : 65 + below(192))
        case 0..<42 where !scarce:
            return .alloc(order: randomOrder(g.maxOrder), type: AllocType.allCases[below(3)], gfp: randomGFP())
        case 0..<72 where !live.isEmpty:
            return .free(handle: live[below(live.count)])
        case 72..<80:
            if chance(50), let c = rangeOverAnon(model, isolate: false) { return c }
            for _ in 0..<8 {
                let c = contigCandidate(model)
                if case let .contig(pfn, pages) = c, !migrationSafe(model, pfn..<(pfn + pages)) { continue }
                if case let .contig(pfn, pages) = c, !model.touchesKernelPages(pfn..<(pfn + pages)) { return c }
            }
            return .drain
        case 80..<85 where isolated.count < 3:
            if chance(50), let c = rangeOverAnon(model, isolate: true) { return c }
            // A pageblock covered by the tail of a live compound allocation larger than a
            // pageblock: without CONFIG_TRANSPARENT_HUGEPAGE `has_unmovable_pages` passes it
            // (tails have refcount 0) and `isolate_single_pageblock` fails later on the head,
            // restoring the block as MOVABLE (`unset_migratetype_isolate`).
            let tails = model.compoundTailBlocks
            if !tails.isEmpty, chance(40) { return .isolate(pfn: tails[below(tails.count)], pages: g.pageblockPages, offline: chance(30)) }
            let pages = g.pageblockPages * (1 + below(4))
            for _ in 0..<8 {
                let pfn = alignedPfn(in: zone, unit: g.pageblockPages, span: pages)
                if !model.touchesKernelPages(pfn..<(pfn + pages)) { return .isolate(pfn: pfn, pages: pages, offline: chance(30)) }
            }
            return .drain
        case 80..<89 where !isolated.isEmpty:
            let (pfn, pages) = isolated.remove(at: below(isolated.count))
            return .unisolate(pfn: pfn, pages: pages)
        case 89..<94 where model.cmaArea != nil && cmaSafe(model):
            let counts = [1, 8, 64, 512, 1024]
            return .cmaAlloc(count: counts[below(counts.count)], alignOrder: [0, 3, g.pageblockOrder][below(3)])
        case 94..<97:
            // 3 in 10 of these a compaction: a direct compaction for one request (any free
            // level: near MIN `compaction_suitable` skips it), a kcompactd wake-up or proactive
            // pass, and while the zone is far above HIGH, 1 in 4 a whole-zone pass
            // (compact_node's). All migrate the anon pages (and the guest's own LRU pages).
            if compaction, chance(30) {
                if anonRoom(model), chance(25) { return .compact }
                return compactionCommand(model)
            }
            return .watermark(mark: below(3), order: below(g.maxOrder + 1))
        default:
            return .drain
        }
    }

    /// A `compact ORDER TYPE PRIO`: orders weighted to the costly ones a THP or a slab of order
    /// 3 asks for, mostly movable requests (whose capture rules differ by era), every priority
    /// (`sync_full` ignores skip bits and deferral, `async` leaves the sync cached position).
    /// Whether a contig or CMA range may be drawn: it holds nothing to migrate, or the zone is far
    /// above HIGH. The kernel allocates migration targets with GFP_USER (`alloc_migration_target`):
    /// near OOM that enters direct reclaim, whose page-cache frees inside the command the simulator
    /// does not model (measured: 6.1, `--compaction` seed 3, `cma_alloc 1024 0` at command 1601
    /// freed 225 pages more on the kernel).
    func migrationSafe(_ model: any KernelModel, _ range: Range<Int>) -> Bool {
        anonRoom(model) || !model.holdsMigratablePages(range)
    }

    /// Whether a `cma_alloc` may be drawn (`migrationSafe` over the area). A 6.12 run once parted
    /// at a `cma_alloc 1024 0` whose search succeeded one range earlier on the kernel (0x1ba08 vs
    /// 0x1ba65, seed 1, command 1057): a page still in the guest's lru_add batch was missing from
    /// the `lru` record, so the simulator held it pinned while the kernel's `lru_cache_disable()`
    /// put it on the LRU and migrated it. The driver now drains the batch before each snapshot.
    ///
    /// Also only while the non-CMA free pages stay above HIGH by the largest count drawn (1024),
    /// whatever the model says the area holds: commands are chosen before the kernel runs them,
    /// and the guest's own LRU pages (neither the driver's anon mappings nor state 0's) can land
    /// in the area meanwhile; each needs a migration target, and near LOW those come from the
    /// slow path, which unreserves HIGHATOMIC blocks and reclaims page cache inside the command
    /// (`--random 100000 --seed 1` on 6.1.192, `cma_alloc 1024 0` at command 8,681, 311 non-CMA
    /// pages free: LRU pages at 0x1b804 and 0x1c6f8 the model could not know; the kernel moved
    /// HIGHATOMIC block 0x1600's free pages to MOVABLE).
    func cmaSafe(_ model: any KernelModel) -> Bool {
        guard let area = model.cmaArea else { return false }
        return migrationSafe(model, area) && model.nrFreePages - model.nrFreeCMAPages > model.watermarkValues[2] + 1024
    }

    /// Whether an `anon` mapping may be drawn: the zone far above HIGH on the model, so the page
    /// faults (`GFP_HIGHUSER_MOVABLE`, which may reclaim) take the fast path and wake no kswapd.
    func anonRoom(_ model: any KernelModel) -> Bool {
        model.nrFreePages - model.nrFreeCMAPages > model.watermarkValues[2] + 4096
    }

    /// A contig or isolate range over live anon pages in pageblocks where every page in use is
    /// migratable (`KernelModel.onlyMigratablePages`): elsewhere `has_unmovable_pages` refuses
    /// the range before anything migrates. Half a whole pageblock, half a short unaligned range
    /// inside it — so migration of LRU pages, its order and `has_unmovable_pages` passing them
    /// are exercised. Contig only while the zone is far above HIGH on the model: the migration
    /// targets come from `alloc_migration_target` (GFP_USER: may wake kswapd and reclaim below LOW).
    mutating func rangeOverAnon(_ model: any KernelModel, isolate: Bool) -> OracleCommand? {
        guard isolate || anonRoom(model) else { return nil }
        let pb = model.geometry.pageblockPages
        var blocks: [Int] = []
        var seen: Set<Int> = []
        for p in model.anonPages.sorted() where seen.insert(p & ~(pb - 1)).inserted {
            if model.onlyMigratablePages((p & ~(pb - 1))..<((p & ~(pb - 1)) + pb)) { blocks.append(p & ~(pb - 1)) }
        }
        guard !blocks.isEmpty else { return nil }
        let start = blocks[below(blocks.count)]
        if isolate || chance(50) {
            return isolate ? .isolate(pfn: start, pages: pb, offline: chance(30)) : .contig(pfn: start, pages: pb)
        }
        let first = start + below(pb - 1)
        return .contig(pfn: first, pages: 1 + below(min(64, start + pb - first)))
    }

    /// A contiguous range at pageblock or max-order granularity: half of them on a free
    /// max-order block, some with an unaligned start.
    mutating func contigCandidate(_ model: any KernelModel) -> OracleCommand {
        let g = model.geometry
        let zone = model.zoneRange
        do {
            let maxOrderUnit = chance(50)
            let pages = maxOrderUnit ? g.maxOrderPages : g.pageblockPages
            let blocks = model.freeMaxOrderBlocks.filter { model.cmaArea?.contains($0) != true }
            var pfn: Int
            if chance(50), !blocks.isEmpty {
                pfn = blocks[below(blocks.count)] + (maxOrderUnit ? 0 : g.pageblockPages * below(2))
            } else {
                pfn = alignedPfn(in: zone, unit: pages)
            }
            if chance(15) { pfn += below(pages / 2) }          // an unaligned start: boundary handling
            pfn = min(pfn, zone.upperBound - pages)
            return .contig(pfn: pfn, pages: pages)
        }
    }

    /// The gfp words of a random allocation: 15 % `high` (GFP_ATOMIC without its kswapd bit),
    /// 15 % `comp` (a compound page), 5 % both, the rest the driver's plain mask. Compound pages
    /// became routine once the simulator modelled the oracle kernel's lack of
    /// CONFIG_TRANSPARENT_HUGEPAGE (`MachineLayout.transparentHugepage`: without it
    /// `has_unmovable_pages()` skips compound tails instead of judging them by their head; before
    /// that the lockstep parted after an isolation over a block holding a compound tail: 6.1
    /// seeds 1, 3 and 6).
    mutating func randomGFP() -> OracleGFP {
        let r = below(100)
        if r < 15 { return .high }
        if r < 30 { return .comp }
        if r < 35 { return [.high, .comp] }
        return []
    }

    /// Orders 0–10 weighted towards the small ones: 40 % order 0, 30 % 1–3, 20 % 4–8, 10 % 9–max.
    mutating func randomOrder(_ maxOrder: Int) -> Int {
        let r = below(100)
        if r < 40 { return 0 }
        if r < 70 { return 1 + below(3) }
        if r < 90 { return 4 + below(5) }
        return min(9 + below(maxOrder - 8), maxOrder)
    }

    /// A `unit`-aligned pfn inside `zone` with `span` pages after it in the zone.
    mutating func alignedPfn(in zone: Range<Int>, unit: Int, span: Int? = nil) -> Int {
        let first = (zone.lowerBound + unit - 1) / unit * unit
        let last = (zone.upperBound - (span ?? unit)) / unit * unit
        guard last >= first else { return first }
        return first + unit * below((last - first) / unit + 1)
    }
}
