import BuddyCore
import BuddyVariants

/// The simulator side of the lockstep: a variant's `Machine` imported from the kernel's state,
/// driven by the same commands the oracle driver runs, answering in the driver's terms.
///
/// Handles are issued exactly as the driver issues them: from 0, in command order, one per
/// successful `alloc`, `contig` or `cma_alloc`.
public protocol KernelModel: AnyObject {
    /// Runs one driver command. `kernelSide`: the kernel's `side` events of this very command
    /// (lockstep): an `anon` mapping's page faults and the unmapping of one are replayed from
    /// them at their exact pfns; nil (choosing commands ahead of the kernel): they are predicted
    /// — each faulted page an order-0 movable allocation through the allocator.
    func apply(_ command: OracleCommand, kernelSide: [ForeignEvent]?) -> OracleResult
    /// Where the pages of live anon handle `h` are (address order), as the kernel's `anon` record
    /// lists them; nil when `h` is not a live anon handle.
    func anonPfns(handle h: Int) -> [Int]?
    /// Pfns of every page of every live anon mapping (where contig and isolation meet LRU pages).
    var anonPages: [Int] { get }
    /// Kernel side events of the last commands that could not be replayed (then cleared).
    func takeSideProblems() -> [String]
    /// Takes the kernel's LRU membership of the pages in use (its `lru` runs) as a foreign fact:
    /// whether the guest's own pages (page cache read since import, pages it dropped from the
    /// LRU) can be migrated is decided outside the allocator.
    func syncLRU(_ runs: [(pfn: Int, pages: Int)], file: [(pfn: Int, pages: Int)])
    /// Replays a foreign allocation or free at its exact pfn; `ok` or why it could not be.
    func replay(_ event: ForeignEvent) -> OpResult
    /// The state in kernel terms, pageblocks over the same range as `like`.
    func snapshot(like: ZoneSnapshot) -> ZoneSnapshot
    /// Handles that are live, ascending.
    var liveHandles: [Int] { get }
    /// Heads of free max-order blocks on non-ISOLATE lists (where a contig range may succeed).
    var freeMaxOrderBlocks: [Int] { get }
    var nrFreePages: Int { get }
    /// First pfn and end of the zone.
    var zoneRange: Range<Int> { get }
    var geometry: Geometry { get }
    /// The CMA area, if any.
    var cmaArea: Range<Int>? { get }
    /// Structural violations of the simulator's own data (always a simulator bug).
    func violations() -> [String]
    /// NR_FREE_CMA_PAGES as the model keeps it (equal to the kernel's while in lockstep).
    var nrFreeCMAPages: Int { get }
    /// The zone's min, low and high marks as `wmark_pages()` reads them (boost included).
    var watermarkValues: [Int] { get }
    /// Whether `range` touches a pageblock that held kernel pages at import. The log does not
    /// say which of those are on the LRU (page cache, the guest's own processes): the kernel
    /// may migrate or skip them where the simulator, importing them pinned, cannot.
    func touchesKernelPages(_ range: Range<Int>) -> Bool
    /// Whether every page in use in the pageblocks `range` touches is migratable and was not in
    /// use at import — the pageblocks where `alloc_contig_range` can succeed only by migrating
    /// (`start_isolate_page_range` runs `has_unmovable_pages` over each touched pageblock whole:
    /// `isolate_single_pageblock` checks the boundary blocks from their first pfn), and where no
    /// page of the guest's own is met (6.1's `alloc_contig_range` reclaims clean page cache
    /// rather than migrating it: `reclaim_clean_pages_from_list`).
    func onlyMigratablePages(_ range: Range<Int>) -> Bool
    /// Whether `range` holds a page in use that migration would move (an anon or LRU page).
    func holdsMigratablePages(_ range: Range<Int>) -> Bool
    /// The per-cpu pagesets in kernel terms; nil when the model runs without pcp lists.
    func pcpView() -> PCPView?
    /// The highest order with a free block on any list (-1: nothing free).
    var largestFreeOrder: Int { get }
    /// Zone `zone`'s compaction state and the skip bits of `blocks` pageblocks from `skipStart`.
    func compactionView(zone: Int, skipStart: Int, blocks: Int) -> (fields: ZoneCompaction, skip: [Bool])
    /// Free pages on the HIGHATOMIC lists (counted in NR_FREE_PAGES).
    var freeHighatomicPages: Int { get }
    /// The largest order with a free block on an UNMOVABLE, MOVABLE or RECLAIMABLE list (-1: none).
    var largestFreeOrdinaryOrder: Int { get }
    /// The zone's `nr_reserved_highatomic` (pages in HIGHATOMIC pageblocks, free or not).
    var nrReservedHighatomic: Int { get }
    /// Live `alloc` handles of max order in an UNMOVABLE, MOVABLE or RECLAIMABLE pageblock
    /// (freed, an ordinary max-order block again), ascending.
    var maxOrderAllocHandles: [Int] { get }
    /// Pageblocks that lie in the tail of a live non-LRU compound allocation (one larger than a
    /// pageblock, so its head is in an earlier block): `has_unmovable_pages` without
    /// CONFIG_TRANSPARENT_HUGEPAGE passes such a block (tails have refcount 0).
    var compoundTailBlocks: [Int] { get }
}

extension KernelModel {
    /// Runs one driver command, its side effects predicted (`apply(_:kernelSide:)`).
    public func apply(_ command: OracleCommand) -> OracleResult { apply(command, kernelSide: nil) }
}

/// Builds the model of `variant` from a log's header and its state 0.
public func makeKernelModel(variant: Variant, log: OracleLog) throws(ImportError) -> any KernelModel {
    try makeKernelModel(variant.strategies, log: log)
}

func makeKernelModel<S: StrategySet>(_: S.Type, log: OracleLog) throws(ImportError) -> any KernelModel {
    try SimulatedKernel<S>(log: log)
}

/// What a driver handle holds on the simulator side.
enum HeldObject {
    case pages(simHandle: Int)
    case contig(pfn: Int, pages: Int)
    case cma(pfn: Int, count: Int)
    /// An `anon` mapping: the simulator's handle of each data page, in address order.
    case anon(simHandles: [Int])
}

final class SimulatedKernel<S: StrategySet>: KernelModel {
    let m: Machine<S>
    var held: [Int: HeldObject] = [:]
    /// Protocol 1: handles count successful commands (`nextHandle`); protocol 2: a command's
    /// handle is its index in the batch (`applied` before it), so a failed allocation shifts
    /// nothing after it.
    let handlePerCommand: Bool
    var nextHandle = 0
    var applied = 0
    /// Live handles in ascending order (the generator draws from them every command).
    var live: [Int] = []
    /// Kernel side events that could not be replayed (`takeSideProblems`).
    var sideProblems: [String] = []

    func takeSideProblems() -> [String] {
        defer { sideProblems = [] }
        return sideProblems
    }

    /// Pageblocks (by index from the zone's first pageblock) holding imported kernel pages.
    let kernelBlocks: Set<Int>

    init(log: OracleLog) throws(ImportError) {
        // Default mode: the oracle kernel runs with `buddylab_nopcp` and the simulator routes
        // every order to the buddy as well. A log taken with pcp lists on (`--pcp`) is imported
        // with them: one CPU, its lists and set fields placed as the kernel had them
        // (SimulatedKernel+PCP.swift).
        let pcp = log.batch["pcp"] == "on"
        handlePerCommand = log.protocolVersion >= 2
        // One zone, or every zone (SimulatedKernel+Zones.swift); pcp lists only on one zone.
        m = try Machine<S>.importing(log: log, perCPUListsEnabled: pcp)
        if pcp { try Self.importPCP(m, log.initial) }
        for c in log.initial.compaction { m.importCompaction(zone: c.zone, fields: c.fields, skipStart: c.skipStart, skip: c.skip) }
        var blocks: Set<Int> = []
        let pb = m.geometry.pageblockPages
        var p = m.ramStart
        while p < m.ramStart + m.frameCount {
            if m.kind(p) == .allocated { blocks.insert((p - m.ramStart) / pb); p = (p / pb + 1) * pb }
            else if m.isBuddy(p) { p += 1 << m.order(p) } else { p += 1 }
        }
        kernelBlocks = blocks
    }

    func holdsMigratablePages(_ range: Range<Int>) -> Bool {
        var p = max(range.lowerBound, m.ramStart)
        while p < min(range.upperBound, m.ramStart + m.frameCount) {
            if m.isBuddy(p) { p += 1 << m.order(p); continue }
            if m.kind(p) == .allocated {
                if AllocInfo(raw: m.info[m.index(p)]).migratable { return true }
                p += 1 << m.order(p)
                continue
            }
            p += 1
        }
        return false
    }

    func onlyMigratablePages(_ range: Range<Int>) -> Bool {
        guard !range.isEmpty, !touchesKernelPages(range) else { return false }
        let pb = m.geometry.pageblockPages
        var p = range.lowerBound & ~(pb - 1)
        let end = min((range.upperBound + pb - 1) & ~(pb - 1), m.ramStart + m.frameCount)
        while p < end {
            guard m.pfnValid(p) else { return false }
            if m.isBuddy(p) { p += 1 << m.order(p); continue }
            if m.kind(p) == .allocated {
                guard AllocInfo(raw: m.info[m.index(p)]).migratable else { return false }
                p += 1 << m.order(p)
                continue
            }
            p += 1
        }
        return true
    }

    func touchesKernelPages(_ range: Range<Int>) -> Bool {
        let pb = m.geometry.pageblockPages
        guard !range.isEmpty else { return false }
        return ((range.lowerBound - m.ramStart) / pb...(range.upperBound - 1 - m.ramStart) / pb).contains { kernelBlocks.contains($0) }
    }

    func issue(_ o: HeldObject) -> Int {
        let h = handlePerCommand ? applied - 1 : nextHandle
        nextHandle += 1
        held[h] = o
        live.append(h)      // ascending: h grows with every command
        return h
    }

    func apply(_ command: OracleCommand, kernelSide: [ForeignEvent]?) -> OracleResult {
        applied += 1
        switch command {
        case let .alloc(order, type, gfp):
            guard order <= m.geometry.maxOrder else { return OracleResult("einval") }
            // The driver's real mask: non-blocking (no __GFP_DIRECT_RECLAIM), so the slow path
            // neither reclaims nor unreserves HIGHATOMIC before it fails.
            // `dma` / `dma32`: the zonelist starts at that zone (Machine+ZoneModifier.swift). A
            // plain driver mask has no __GFP_HIGHMEM, so gfp_zone() is ZONE_NORMAL even for a
            // movable request: with a Movable zone (movablecore=) its zonelist starts below it.
            let capped = gfp.zoneModifier.flatMap { name in m.layout.zones.firstIndex { $0.name == name } }
                ?? (m.layout.zones.contains { $0.isMovableZone } ? m.zonelistHighest(movable: false) : nil)
            let h = capped.map { m.allocatePinned(order: order, type: type, gfp: gfp.mask(for: type), highestZone: $0) }
                ?? m.allocatePinned(order: order, type: type, gfp: gfp.mask(for: type))
            guard h >= 0 else { return OracleResult("enomem") }
            let pfn = Int(m.handlePfn[h])
            return OracleResult("ok", handle: issue(.pages(simHandle: h)), pfn: pfn)
        case let .free(h):
            guard let o = held.removeValue(forKey: h) else { return OracleResult("einval") }
            if let i = Self.position(of: h, in: live) { live.remove(at: i) }
            switch o {
            case let .pages(sh): m.free(handle: sh)
            case let .contig(pfn, pages): m.freeContigRange(pfn, pages: pages)
            case let .cma(pfn, count): m.cmaRelease(area: 0, base: pfn, pages: count)
            case let .anon(handles): return unmapAnon(handles, kernelSide: kernelSide)
            }
            return OracleResult("ok")
        case let .contig(pfn, pages):
            guard pages > 0 else { return OracleResult("einval") }
            let r = m.allocContigRange(pfn, pfn + pages).result
            guard r == .ok else { return OracleResult(r.rawValue) }
            return OracleResult("ok", handle: issue(.contig(pfn: pfn, pages: pages)), pfn: pfn)
        case let .isolate(pfn, pages, _):
            guard pages > 0 else { return OracleResult("einval") }
            return OracleResult(m.isolatePageRange(pfn, pfn + pages).rawValue)
        case let .unisolate(pfn, pages):
            guard pages > 0, m.pfnValid(pfn), m.pfnValid(pfn + pages - 1) else { return OracleResult("einval") }
            m.undoIsolatePageRange(pfn, pfn + pages, to: .movable)
            return OracleResult("ok")
        case let .cmaAlloc(count, align):
            guard !m.cmaAreas.isEmpty else { return OracleResult("einval") }
            guard let pfn = m.cmaAllocAligned(area: 0, count: count, alignOrder: align) else { return OracleResult("enomem") }
            return OracleResult("ok", handle: issue(.cma(pfn: pfn, count: count)), pfn: pfn)
        case .drain:
            m.drainAllPages(zone: nil)   // drain_all_pages(NULL); nothing to do without pcp lists
            return OracleResult("ok")
        case .offline, .online, .hotadd:
            return applyHotplug(command)   // SimulatedKernel+Zones.swift
        case let .watermark(mark, order):
            guard order <= m.geometry.maxOrder else { return OracleResult("einval") }
            let value = [m.zone[0].wmarkMin, m.zone[0].wmarkLow, m.zone[0].wmarkHigh][mark]
            // zone_watermark_ok_safe() passes alloc_flags 0: no ALLOC_CMA, free CMA pages do not count.
            let ok = m.watermarkOK(zone: 0, order: order, mark: value, allocCMA: false, safe: true)
            return OracleResult(ok ? "ok" : "fail")
        case .compact:
            // compact_node(): every populated zone in zone order (one on User-Mode Linux).
            for z in 0..<m.zoneCount where m.zone[z].presentPages > 0 { m.compactMemory(zone: z) }
            return OracleResult("ok")
        case let .kcompactd(order):
            guard order <= m.geometry.maxOrder else { return OracleResult("einval") }
            // buddylab_kcompactd() lowers the pending zone to ZONE_NORMAL: the last zone below Movable.
            let normal = (0..<m.zoneCount).last { !m.zone[$0].isMovableZone } ?? m.zoneCount - 1
            let own = replayKthreadAllocs(kernelSide)   // SimulatedKernel+KthreadSide.swift
            m.wakeupKcompactd(order: order, highestZone: normal)
            m.kcompactdRun()
            replayKthreadFrees(kernelSide, allocated: own)
            return OracleResult("ok")
        case let .proactive(p):
            return OracleResult(m.proactiveCompactPass(proactiveness: p) ? "ok" : "skipped")
        case let .compactOrder(order, type, priority):
            guard order > 0, order <= m.geometry.maxOrder else { return OracleResult("einval") }
            // as `alloc`: no __GFP_HIGHMEM, so a Movable zone is not in the request's zonelist
            let capped = m.layout.zones.contains { $0.isMovableZone } ? m.zonelistHighest(movable: false) : nil
            let (status, h) = m.directCompactForDriver(order: order, type: type, priority: priority, highestZone: capped)
            guard h >= 0 else { return OracleResult(OracleResult.resultName(status)) }
            return OracleResult("ok", handle: issue(.pages(simHandle: h)), pfn: Int(m.handlePfn[h]))
        case let .anon(pages):
            guard pages > 0, pages <= OracleCommand.maxAnonPages else { return OracleResult("einval") }
            guard let handles = mapAnon(pages, kernelSide: kernelSide) else { return OracleResult("enomem") }
            return OracleResult("ok", handle: issue(.anon(simHandles: handles)), pages: pages)
        }
    }

    func syncLRU(_ runs: [(pfn: Int, pages: Int)], file: [(pfn: Int, pages: Int)]) {
        let start = m.ramStart
        var onLRU = [Bool](repeating: false, count: m.frameCount)
        var onFile = [Bool](repeating: false, count: m.frameCount)
        // Runs clamped to the zone first: a log's run may claim up to 2^40 pages.
        func mark(_ rs: [(pfn: Int, pages: Int)], _ a: inout [Bool]) {
            for r in rs {
                let lo = max(r.pfn, start), hi = min(r.pfn + r.pages, start + a.count)
                if lo < hi { for q in lo..<hi { a[q - start] = true } }
            }
        }
        mark(runs, &onLRU)
        mark(file, &onFile)
        var p = start
        while p < start + m.frameCount {
            if m.isBuddy(p) { p += 1 << m.order(p); continue }
            guard m.kind(p) == .allocated else { p += 1; continue }
            let a = AllocInfo(raw: m.info[m.index(p)])
            if a.migratable != onLRU[p - start] || a.fileLRU != onFile[p - start] {
                m.info[m.index(p)] = AllocInfo(type: a.type, migratable: onLRU[p - start], compound: a.compound,
                                               handled: a.handled, fileLRU: onFile[p - start]).raw
            }
            p += 1 << m.order(p)
        }
    }

    func anonPfns(handle h: Int) -> [Int]? {
        guard case let .anon(handles)? = held[h] else { return nil }
        return handles.map { Int(m.handlePfn[$0]) }
    }

    var anonPages: [Int] {
        held.values.flatMap { o -> [Int] in
            guard case let .anon(handles) = o else { return [] }
            return handles.map { Int(m.handlePfn[$0]) }
        }
    }

    func replay(_ e: ForeignEvent) -> OpResult {
        guard e.isAlloc else { return m.foreignFree(pfn: e.pfn, order: e.order) }
        if needsAllocatorReplay(e) {   // SimulatedKernel+FallbackReplay.swift
            let (h, problem) = replayThroughAllocator(e, migratable: false)
            if h != nil { return .ok }
            if let problem { sideProblems.append(problem) }
        }
        return m.foreignAlloc(pfn: e.pfn, order: e.order, type: e.type, compound: e.compound ?? (e.order > 0))
    }

    func snapshot(like k: ZoneSnapshot) -> ZoneSnapshot {
        var s = m.snapshot(pageblockStart: k.pageblockStart, pageblockCount: k.pageblocks.count)
        s.present = k.present   // not modelled apart from spanned: the kernel's value, so it compares equal
        return s
    }

    var liveHandles: [Int] { live }

    var largestFreeOrder: Int { m.largestFreeOrder }

    func compactionView(zone: Int, skipStart: Int, blocks: Int) -> (fields: ZoneCompaction, skip: [Bool]) {
        m.compactionView(zone: zone, skipStart: skipStart, blocks: blocks)
    }

    /// Binary search of a sorted array.
    static func position(of h: Int, in a: [Int]) -> Int? {
        var lo = 0, hi = a.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if a[mid] < h { lo = mid + 1 } else { hi = mid }
        }
        return lo < a.count && a[lo] == h ? lo : nil
    }

    var freeMaxOrderBlocks: [Int] {
        MigrateType.allCases.filter { $0 != .isolate }.flatMap { m.listContents(zone: 0, order: m.geometry.maxOrder, $0) }.sorted()
    }

    var nrFreePages: Int { m.zone[0].nrFreePages }
    var freeHighatomicPages: Int {
        (0...m.geometry.maxOrder).reduce(0) { $0 + m.listContents(zone: 0, order: $1, .highatomic).count << $1 }
    }
    var largestFreeOrdinaryOrder: Int {
        for o in stride(from: m.geometry.maxOrder, through: 0, by: -1)
        where [MigrateType.unmovable, .movable, .reclaimable].contains(where: { !m.listContents(zone: 0, order: o, $0).isEmpty }) {
            return o
        }
        return -1
    }
    var nrReservedHighatomic: Int { m.zone[0].nrReservedHighatomic }
    var maxOrderAllocHandles: [Int] {
        live.filter { h in
            guard case let .pages(sh)? = held[h] else { return false }
            let pfn = Int(m.handlePfn[sh])
            return m.order(pfn) == m.geometry.maxOrder && [.unmovable, .movable, .reclaimable].contains(m.blockType(pfn))
        }
    }
    var compoundTailBlocks: [Int] {
        let pb = m.geometry.pageblockPages
        var out: [Int] = []
        var p = (m.zone[0].startPfn + pb - 1) / pb * pb
        while p < m.zone[0].endPfn {
            if m.kind(p) != .allocated, !m.isBuddy(p), let (head, _) = m.allocatedBlockCovering(p), head < p {
                let a = AllocInfo(raw: m.info[m.index(head)])
                if a.compound && !a.migratable { out.append(p) }
            }
            p += pb
        }
        return out
    }
    var nrFreeCMAPages: Int { m.zone[0].nrFreeCMAPages }
    var watermarkValues: [Int] { [m.zone[0].wmarkMin, m.zone[0].wmarkLow, m.zone[0].wmarkHigh] }
    var zoneRange: Range<Int> { m.zone[0].startPfn..<m.zone[0].endPfn }
    var geometry: Geometry { m.geometry }
    var cmaArea: Range<Int>? { m.cmaAreas.first.map { $0.base..<($0.base + $0.pages) } }
    func violations() -> [String] { m.structuralViolations(limit: 5) }
}
