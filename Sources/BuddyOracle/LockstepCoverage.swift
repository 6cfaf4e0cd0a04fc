import BuddyCore

/// What a lockstep run exercised, in the kernel's terms, read from the kernel's own log (never
/// from the simulator: a counter here says the real kernel took that path on these commands, so
/// the comparison after it checked the simulator's model of it).
///
/// Printed after every lockstep run as one line, `coverage: NAME=N …` (contract, "Additions
/// planned"). A counter at 0 means the run never reached that path: whatever the simulator does
/// there went unchecked by this run. Counted per compared command (the prefix up to and
/// including a mismatch), from the state before and after it:
/// - `fallback_claim`: an allocation after which a pageblock of another type has the request's
///   type — `steal_suitable_fallback` / `try_to_claim_block` changed its ownership.
/// - `fallback_steal`: an allocation served from a pageblock of another ordinary type whose type
///   did not change — the `!can_steal` branch (6.1) / `__rmqueue_steal` (6.12+).
/// - `cma_fallback`: a movable allocation served from a CMA pageblock (`__rmqueue_cma_fallback`,
///   or the CMA-first balancing of `__rmqueue`).
/// - `highatomic_reserve`: pageblocks that became HIGHATOMIC (`reserve_highatomic_pageblock`);
///   `highatomic_unreserve`: pageblocks that stopped being HIGHATOMIC; `highatomic_alloc`:
///   allocations served from a HIGHATOMIC pageblock (the reserve in use: `rmqueue_buddy`'s
///   ALLOC_HIGHATOMIC attempt, or a block reserved by this very allocation).
/// - `migrated`: pages the kernel migrated inside a command (`side alloc` targets of `contig`,
///   `cma_alloc` and `isolate`); `anon`: anonymous mappings made (LRU pages for them to meet);
///   `compaction`: `compact` commands (`compact_node`'s pass); `pgmigrate_success`: anon pages a
///   `compact` or `compact ORDER …` moved (a lower bound of the kernel's counter: the guest's own
///   LRU pages move too); `direct_compact`: `compact ORDER TYPE PRIO` commands
///   (`try_to_compact_pages`), `compact_capture` those that captured their page,
///   `compact_deferred` those `compaction_deferred` refused; `skip_bits_set`: pageblocks whose
///   PB_migrate_skip a command set (from the states' `skip` records); `kcompactd`: `kcompactd
///   ORDER` wake-ups run, `proactive`: proactive passes that ran. `compact_remigrated`: pages a
///   compaction command freed as migration sources (`side free`) that were free before it — its
///   own targets migrated again in the same pass, where the `lru_add` batch decides which of them
///   the migrate scanner can take (Machine+LRUAddBatch.swift); `compact_to_movable`: pageblocks
///   a compaction command turned MOVABLE from another mergeable type (the free scanner's
///   `__isolate_free_page` of half a pageblock or more; a captured page's claim counts too).
///   `contig_round_split`: migration rounds of a `contig` that ended with fewer than
///   COMPACT_CLUSTER_MAX (32) pages while more of the range followed — `too_many_isolated()`
///   ended them at a pageblock (Machine+TooManyIsolated.swift); rounds are read off the order of
///   the `side free`s inside the range (`shortRoundsBeforeOthers`).
/// - `watermark_ok` / `watermark_fail`: `zone_watermark_ok_safe` answers.
/// - `alloc_fail`: allocations that returned no page; `contig_ok`, `contig_ebusy`,
///   `isolate_ebusy`, `isolate_cma_ebusy` (a failed isolation or `alloc_contig_range` over a range
///   that holds CMA pageblocks), `cma_alloc_ok`, `cma_alloc_fail`.
/// - `compound`: compound allocations that succeeded (`alloc … comp`, order > 0); `alloc_high`:
///   successful `__GFP_HIGH` allocations (`alloc … high`: ALLOC_MIN_RESERVE, HIGHATOMIC).
/// - `pcp_refill`: allocations after which a block sits on a pcp list that was on none before
///   (`rmqueue_bulk` moved it there from the buddy), or of an order ≤ PAGE_ALLOC_COSTLY_ORDER
///   that did not lower `pcp->count` (`pcpset`) by their size (the refill was handed out whole); `pcp_drain`: commands after which a block
///   that was on a pcp list is on none and is neither the command's own allocation nor a
///   foreign one (`free_pcppages_bulk` returned it to the buddy: a free reaching `high`, a
///   `drain`, the `drain_all_pages` of `alloc_contig_range`); `pcp_free_bulk`: the `free`s
///   among those (`free_unref_page_commit` reached `high`, or 6.1's `free_factor` / 6.7+'s
///   `PCPF_PREV_FREE_HIGH_ORDER` rule for a high-order free). All 0 while the oracle boots
///   with `buddylab_nopcp` (`--pcp` turns the lists on).
/// - `zone_fallback`: successful allocations served below the zonelist's first zone (a page of
///   DMA32 or DMA for a request whose preferred zone is Normal, of DMA for an `alloc … dma32`:
///   `get_page_from_freelist` went down the zonelist; several-zone logs only). `offline` /
///   `online`: memory blocks taken offline / brought online; `offline_fail`: offline commands
///   the kernel refused; `hotadd`: memory blocks hot-added (`add_memory()`, `--hotadd`).
///   `alloc_dma` / `alloc_dma32`: successful zone-directed allocations
///   (`alloc … dma|dma32`: `gfp_zone()` is ZONE_DMA / ZONE_DMA32, the zonelist starts there).
public struct LockstepCoverage: Sendable, Equatable {
    /// Counter names in print order (every one is printed, zeros included: a zero is the news).
    public static let names = [
        "commands", "alloc", "alloc_fail", "alloc_high", "fallback_claim", "fallback_steal", "cma_fallback",
        "highatomic_reserve", "highatomic_unreserve", "highatomic_alloc", "pcp_refill", "pcp_drain", "pcp_free_bulk", "migrated",
        "watermark_ok", "watermark_fail", "compound", "contig_ok", "contig_ebusy", "isolate_ebusy",
        "isolate_cma_ebusy", "cma_alloc_ok", "cma_alloc_fail", "anon", "compaction", "pgmigrate_success",
        "zone_fallback", "offline", "offline_fail", "online", "hotadd", "alloc_dma", "alloc_dma32",
        "direct_compact", "compact_capture", "compact_deferred", "skip_bits_set", "kcompactd", "proactive",
        "compact_remigrated", "compact_to_movable", "contig_round_split",
    ]
    public private(set) var counts: [String: Int] = Dictionary(uniqueKeysWithValues: names.map { ($0, 0) })

    public subscript(_ name: String) -> Int { counts[name] ?? 0 }

    /// The counters of the first `commands` steps of `log` (all of them when nil).
    public init(log: OracleLog, commands: Int? = nil) {
        var before = log.initial.snapshot
        var beforeAnon = log.initial.anon
        // pcp->count says something only with the lists on (with buddylab_nopcp it stays 0).
        let pcpOn = log.batch["pcp"] == "on"
        var pcpBefore = Self.pcpBlocks(log.initial), countBefore = pcpOn ? Self.pcpCount(log.initial) : nil
        let pb = log.geometry.pageblockPages
        // The zonelist's first zone of a driver request: gfp_zone() of its mask is ZONE_NORMAL
        // (no __GFP_HIGHMEM, so even a movable request never starts in Movable), or the zone
        // its modifier names (`dma`, `dma32`).
        let normal = log.zones.last { $0.name != "Movable" }
        var previous = log.initial
        var previousCompaction = log.initial.compaction
        for step in log.steps.prefix(commands ?? log.steps.count) {
            var after = step.state.snapshot
            if log.zones.count > 1 {
                // Several zones: judge the command in the zone of the pfn it names or got.
                let pfn: Int? = switch step.command {
                case let .contig(p, _), let .isolate(p, _, _), let .unisolate(p, _): p
                default: step.result.pfn
                }
                let z = pfn.flatMap { p in step.state.zones.firstIndex { p >= $0.startPfn && p < $0.startPfn + $0.spanned } } ?? 0
                before = previous.zones[min(z, previous.zones.count - 1)]
                after = step.state.zones[z]
            }
            previous = step.state
            count(step, before: before, after: after, pageblockPages: pb)
            switch step.command {
            case .compact:
                add("compaction")
                add("pgmigrate_success", Self.movedAnonPages(beforeAnon, step.state.anon))
            case .kcompactd, .proactive:
                if case .kcompactd = step.command { add("kcompactd") } else if step.result.status == "ok" { add("proactive") }
                add("pgmigrate_success", Self.movedAnonPages(beforeAnon, step.state.anon))
            case .compactOrder:
                add("direct_compact")
                add("pgmigrate_success", Self.movedAnonPages(beforeAnon, step.state.anon))
                if step.result.status == "ok" { add("compact_capture") }
                if step.result.status == OracleResult.resultName(.deferred) { add("compact_deferred") }
            default: break
            }
            switch step.command {
            case .compact, .kcompactd, .proactive, .compactOrder:
                add("compact_remigrated", Self.freedThatWereFree(step.state.side, before))
                add("compact_to_movable", Self.typeChanges(before, after).filter { $0.to == .movable && $0.from.isMergeable && $0.from != .movable }.count)
            default: break
            }
            add("skip_bits_set", Self.skipBitsSet(previousCompaction, step.state.compaction))
            previousCompaction = step.state.compaction
            if log.zones.count > 1, case let .alloc(_, _, gfp) = step.command, step.result.status == "ok", let pfn = step.result.pfn {
                let named = gfp.zoneModifier.flatMap { n in log.zones.first { $0.name == n } }
                if let n = named { add(n.name == "DMA" ? "alloc_dma" : "alloc_dma32") }
                if let p = named ?? normal, pfn < p.startPfn { add("zone_fallback") }
            }
            let pcpAfter = Self.pcpBlocks(step.state), countAfter = pcpOn ? Self.pcpCount(step.state) : nil
            countPCP(step, before: pcpBefore, after: pcpAfter, counts: (countBefore, countAfter))
            before = after
            beforeAnon = step.state.anon
            pcpBefore = pcpAfter; countBefore = countAfter
        }
    }

    public init() {}

    mutating func add(_ name: String, _ n: Int = 1) { counts[name, default: 0] += n }

    /// Adds another run's counters (coverage over several runs).
    public mutating func add(_ other: LockstepCoverage) {
        for (name, n) in other.counts { add(name, n) }
    }

    mutating func count(_ step: OracleStep, before: ZoneSnapshot, after: ZoneSnapshot, pageblockPages pb: Int) {
        add("commands")
        // Side allocations are migration targets in contig, cma_alloc and isolate; in `anon`
        // they are its page faults, in the `free` of one the unmap's own (mmu_gather batch pages).
        switch step.command {
        case .contig, .cmaAlloc, .isolate:
            add("migrated", step.state.side.filter(\.isAlloc).reduce(0) { $0 + (1 << $1.order) })
        default: break
        }
        let changed = Self.typeChanges(before, after)
        add("highatomic_reserve", changed.filter { $0.to == .highatomic }.count)
        add("highatomic_unreserve", changed.filter { $0.from == .highatomic }.count)
        let ok = step.result.status == "ok"
        switch step.command {
        case let .alloc(order, type, gfp):
            add("alloc")
            guard ok, let pfn = step.result.pfn else { add("alloc_fail"); return }
            if gfp.contains(.comp), order > 0 { add("compound") }
            if gfp.contains(.high) { add("alloc_high") }
            let want = type.migrateType
            let claimed = changed.contains { $0.to == want && $0.from != .isolate }
            let block = Self.blockType(after, pfn: pfn, pageblockPages: pb)
            if block == .highatomic { add("highatomic_alloc") }
            if claimed { add("fallback_claim") }
            else if block == .cma && want == .movable { add("cma_fallback") }
            else if let block, block != want, block != .highatomic, block != .isolate, block != .cma { add("fallback_steal") }
        case .watermark:
            add(ok ? "watermark_ok" : "watermark_fail")
        case let .contig(pfn, pages):
            add("contig_round_split", Self.shortRoundsBeforeOthers(step.state.side, pfn..<(pfn + pages)))
            if ok { add("contig_ok") } else if step.result.status == "ebusy" {
                add("contig_ebusy")
                if Self.holdsCMA(before, pfn, pages, pb) { add("isolate_cma_ebusy") }
            }
        case let .isolate(pfn, pages, _):
            if step.result.status == "ebusy" {
                add("isolate_ebusy")
                if Self.holdsCMA(before, pfn, pages, pb) { add("isolate_cma_ebusy") }
            }
        case .cmaAlloc:
            add(ok ? "cma_alloc_ok" : "cma_alloc_fail")
        case .anon:
            if ok { add("anon") }
        case .offline:
            add(ok ? "offline" : "offline_fail")
        case .online:
            if ok { add("online") }
        case .hotadd:
            if ok { add("hotadd") }
        case .free, .unisolate, .drain, .compact, .compactOrder, .kcompactd, .proactive:
            break
        }
    }

    /// Pageblocks whose PB_migrate_skip went from clear to set between two states.
    static func skipBitsSet(_ a: [OracleZoneCompaction], _ b: [OracleZoneCompaction]) -> Int {
        var n = 0
        for k in b {
            guard let old = a.first(where: { $0.zone == k.zone }), old.skipStart == k.skipStart else { continue }
            for (x, y) in zip(old.skip, k.skip) where x == false && y == true { n += 1 }
        }
        return n
    }

    /// Anon pages whose pfn changed between two states (compaction's migration targets come from
    /// its own free scanner, which fires no page-allocation tracepoint: where the pages went is
    /// the only trace of a migration there).
    static func movedAnonPages(_ a: [AnonPages], _ b: [AnonPages]) -> Int {
        var byHandle: [Int: [Int?]] = [:]
        for r in a { byHandle[r.handle] = r.pfns }
        var n = 0
        for r in b {
            guard let old = byHandle[r.handle] else { continue }
            for (x, y) in zip(old, r.pfns) where x != y && x != nil && y != nil { n += 1 }
        }
        return n
    }

    /// Pages of `side free` events that lay inside a free block of `before`: a page that was
    /// free, became a migration target and was freed again as a source within the command.
    static func freedThatWereFree(_ side: [ForeignEvent], _ before: ZoneSnapshot) -> Int {
        let frees = side.filter { !$0.isAlloc }
        guard !frees.isEmpty else { return 0 }
        var ranges: [(start: Int, end: Int)] = []
        for (o, lists) in before.freeLists.enumerated() {
            for list in lists { for p in list { ranges.append((p, p + (1 << o))) } }
        }
        ranges.sort { $0.start < $1.start }
        var n = 0
        for e in frees {
            // The last free block starting at or below the page.
            var lo = 0, hi = ranges.count
            while lo < hi { let mid = (lo + hi) / 2; if ranges[mid].start <= e.pfn { lo = mid + 1 } else { hi = mid } }
            if lo > 0, e.pfn < ranges[lo - 1].end { n += 1 << e.order }
        }
        return n
    }

    /// Rounds of fewer than 32 pages followed by another round, from the source frees inside
    /// `range`. A round scans up from where the last stopped, so every page of a round lies above
    /// every page of the one before; within a round `reclaim_clean_pages_from_list` frees its
    /// clean page cache first, lowest pfn first, then `migrate_pages` frees the migrated sources,
    /// highest first. So a free above everything freed so far that follows a descending one starts
    /// a new round.
    static func shortRoundsBeforeOthers(_ side: [ForeignEvent], _ range: Range<Int>) -> Int {
        var rounds: [Int] = []   // pages per round
        var highest = Int.min, last = Int.min, descending = false
        for e in side where !e.isAlloc && range.contains(e.pfn) {
            if rounds.isEmpty || (descending && e.pfn > highest) {
                rounds.append(0)
                descending = false
            } else if e.pfn < last {
                descending = true
            }
            rounds[rounds.count - 1] += 1 << e.order
            highest = max(highest, e.pfn); last = e.pfn
        }
        return rounds.dropLast().filter { $0 < 32 }.count
    }

    /// Heads of the blocks on every pcp list of a state.
    static func pcpBlocks(_ s: OracleState) -> Set<Int> {
        var out = Set<Int>()
        for p in s.pcp { out.formUnion(p.pfns) }
        return out
    }

    /// `pcp->count` summed over the CPUs (`pcpset`), nil for logs without the record.
    static func pcpCount(_ s: OracleState) -> Int? {
        s.pcpSets.isEmpty ? nil : s.pcpSets.reduce(0) { $0 + ($1.fields["count"] ?? 0) }
    }

    mutating func countPCP(_ step: OracleStep, before: Set<Int>, after: Set<Int>, counts: (Int?, Int?) = (nil, nil)) {
        if case let .alloc(order, _, _) = step.command, step.result.status == "ok" {
            // rmqueue_pcplist takes 2^order pages off `count`, unless rmqueue_bulk refilled the
            // list first (a refill whose blocks were all handed out leaves no new block to see).
            let refilledCount = order <= PerCPUPages.costlyOrder && counts.0.flatMap { b in counts.1.map { $0 > b - (1 << order) } } == true
            if refilledCount || after.contains(where: { !before.contains($0) }) { add("pcp_refill") }
        }
        guard !before.isEmpty || !after.isEmpty else { return }
        var taken = Set(step.state.foreign.filter(\.isAlloc).map(\.pfn))
        if case .alloc = step.command, let pfn = step.result.pfn { taken.insert(pfn) }
        if before.contains(where: { !after.contains($0) && !taken.contains($0) }) {
            add("pcp_drain")
            if case .free = step.command { add("pcp_free_bulk") }
        }
    }

    /// Pageblocks whose type differs between two states of the same zone.
    static func typeChanges(_ a: ZoneSnapshot, _ b: ZoneSnapshot) -> [(from: MigrateType, to: MigrateType)] {
        guard a.pageblockStart == b.pageblockStart, a.pageblocks.count == b.pageblocks.count else { return [] }
        return zip(a.pageblocks, b.pageblocks).compactMap { $0 == $1 ? nil : (from: $0, to: $1) }
    }

    static func blockType(_ s: ZoneSnapshot, pfn: Int, pageblockPages pb: Int) -> MigrateType? {
        let i = (pfn - s.pageblockStart) / pb
        return pfn >= s.pageblockStart && i < s.pageblocks.count ? s.pageblocks[i] : nil
    }

    static func holdsCMA(_ s: ZoneSnapshot, _ pfn: Int, _ pages: Int, _ pb: Int) -> Bool {
        var p = pfn - pfn % pb
        while p < pfn + pages {
            if blockType(s, pfn: p, pageblockPages: pb) == .cma { return true }
            p += pb
        }
        return false
    }

    /// `coverage: commands=N alloc=N …` — every counter, in `names` order.
    public var line: String {
        "coverage: " + Self.names.map { "\($0)=\(self[$0])" }.joined(separator: " ")
    }
}
