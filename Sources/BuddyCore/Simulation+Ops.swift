/// The non-hot operations of the executor: isolation, contig, CMA, hotplug, watermark, samples.
extension Simulation {
    /// `e`: the event's index in the program (where a pinned replay's divergence is recorded).
    public func runRare<H: RequestHandleMap>(_ m: Machine<S>, _ event: ProgramEvent, at e: Int, _ out: inout RawRun, _ tally: inout Tally,
                 _ handles: inout H, _ cmaLive: inout [[(base: Int, pages: Int)]]) {
        switch event.op {
        case let .allocAt(pfn, request, order, type, compound, _):
            let (r, h) = m.allocate(atPfn: pfn, order: Int(order), type: type, compound: compound)
            handles.bind(request, to: Int32(truncatingIfNeeded: h))
            if event.script >= 0 { record(&out, event, "alloc", r, r == .ok ? "pfn \(hex(pfn))" : "pfn \(hex(pfn)) not free") }
            else if r != .ok { recordPinnedDivergence(m, pfn: pfn, order: Int(order), type: type, at: e, &out) }
        case let .isolate(start, pages):
            // Inside a CMA area the caller is cma_alloc: isolate for CMA, restore MIGRATE_CMA.
            let cma = m.rangeIsInCMAArea(start, start + pages)
            if S.Alignment.boundary == .none {
                let r = m.startIsolatePageRange(start, start + pages, restore: cma ? .cma : .movable, forCMA: cma)
                record(&out, event, "isolate", r.moved == nil ? .ebusy : .ok,
                       r.moved.map { "moved \($0) pages" } ?? "failed at \(hex(r.failedAt ?? start))")
            } else {
                // v11 / v5.19: start_isolate_page_range goes through isolate_single_pageblock at
                // both ends (splitting straddling free blocks, migrating straddling compound pages).
                let r = m.startIsolatePageRange2022(start, start + pages, restore: cma ? .cma : .movable, forCMA: cma)
                record(&out, event, "isolate", r.result, r.result == .ok ? "isolated" : r.detail)
            }
        case let .unisolate(start, pages):
            let moved = m.undoIsolatePageRange(start, start + pages,
                                               to: m.rangeIsInCMAArea(start, start + pages) ? .cma : .movable)
            record(&out, event, "unisolate", .ok, "moved \(moved) pages")
        case let .contig(start, pages, hold):
            tally.contigAttempts += 1
            let r = m.allocContigRange(start, start + pages)
            switch r.result {
            case .ok:
                tally.contigSuccesses += 1
                if !hold { m.freeContigRange(start, pages: pages) }
            case .ebusy: tally.contigEbusy += 1
            // An attempt the variant turned into a crash/hang is not an -EBUSY: counted apart so
            // that fewer EBUSYs never read as better when they became faults (issue 18 item 4).
            case .fault: tally.contigFaults += 1
            default: break
            }
            if event.script >= 0 { record(&out, event, "contig", r.result, r.detail) }
        case let .cmaDeclare(base, pages):
            var (r, detail) = m.cmaInitReservedMem(basePfn: base, pages: pages)
            if r == .ok {
                let a = m.activateCMA(name: "declared\(m.cmaAreas.count)", basePfn: base, pages: pages)
                if a == .ok { cmaLive.append([]) } else { r = a; detail += "; range not free" }
            }
            record(&out, event, "cma_declare", r, detail)
        case let .cmaAlloc(area, pages):
            // An area whose reservation failed (recorded as a fault at set-up) has no slot.
            if area >= cmaLive.count {
                tally.cmaFailures += 1
                if event.script >= 0 { record(&out, event, "cma_alloc", .einval, "no CMA area \(area)") }
            } else if let base = m.cmaAlloc(area: area, pages: pages) {
                tally.cmaAllocs += 1
                cmaLive[area].append((base, pages))
                if event.script >= 0 { record(&out, event, "cma_alloc", .ok, "base \(hex(base))") }
            } else {
                tally.cmaFailures += 1
                if event.script >= 0 { record(&out, event, "cma_alloc", .enomem, "no range") }
            }
        case let .cmaRelease(area, count):
            guard area < cmaLive.count else {
                if event.script >= 0 { record(&out, event, "cma_release", .einval, "no CMA area \(area)") }
                return
            }
            let n = count < 0 ? cmaLive[area].count : min(count, cmaLive[area].count)
            for r in cmaLive[area].prefix(n) { m.cmaRelease(area: area, base: r.base, pages: r.pages) }
            cmaLive[area].removeFirst(n)
            if event.script >= 0 { record(&out, event, "cma_release", .ok, "released \(n)") }
        case let .offline(block):
            let r = m.offlineBlock(block)
            if r.result == .ok { tally.offlineOK += 1 } else { tally.offlineFailed += 1 }
            if event.script >= 0 { record(&out, event, "offline", r.result, r.detail) }
        case let .online(block):
            let r = m.onlineBlock(block)
            if r.result == .ok { tally.onlineOK += 1 }
            if event.script >= 0 { record(&out, event, "online", r.result, r.detail) }
        case let .watermark(z, mark, order):
            let value = mark == 0 ? m.zone[z].wmarkMin : (mark == 1 ? m.zone[z].wmarkLow : m.zone[z].wmarkHigh)
            let ok = m.kswapdWatermarkOK(zone: z, order: Int(order), mark: value)
            let counter = m.zone[z].nrFreePages
            let seen = counter < 0 ? " (zone_page_state reads 0)" : ""
            record(&out, event, "watermark", ok ? .ok : .fail,
                   "NR_FREE_PAGES \(counter)\(seen), allocatable \(m.zone[z].allocatableFree), mark \(value)")
        case let .sample(kind):
            switch kind {
            case .drift:
                out.series["nr_free_pages_drift", default: []].append(m.drift().nrFreePages)
                out.series["nr_free_pages", default: []].append(m.totalNrFreePages)
            case .contigPhase:
                out.series["contig_successes_per_phase", default: []].append(tally.contigSuccesses - tally.contigAtLastSample)
                tally.contigAtLastSample = tally.contigSuccesses
            case .agePhase:
                let h = tally.highOrder
                out.series["highorder_attempts_per_phase", default: []].append(h.highOrderAttempts - tally.highOrderAtLastPhase.attempts)
                out.series["highorder_successes_per_phase", default: []].append(h.highOrderSuccesses - tally.highOrderAtLastPhase.successes)
                tally.highOrderAtLastPhase = (h.highOrderAttempts, h.highOrderSuccesses)
            }
        case let .reserveHighatomic(pfn):
            let r = m.reserveHighatomicPageblock(pfn)
            record(&out, event, "reserve_highatomic", r,
                   "nr_reserved_highatomic \(m.zone[m.pfnValid(pfn) ? m.zoneOf(pfn) : 0].nrReservedHighatomic)")
        case let .compact(z, order, priority):
            runCompactOp(m, event, zone: z, order: Int(order), priority: CompactPriority(rawValue: Int(priority)) ?? .async, &out)
        case .alloc, .free:
            break
        }
    }

    public func collectMetrics(_ m: Machine<S>, _ out: inout RawRun, _ tally: Tally, minFree: Int) {
        let d = m.drift()
        let s = m.stats
        out.metrics = [
            "events": program.eventCount,
            "allocs": s.allocs, "alloc_failures": s.allocFailures, "frees": s.frees,
            "contig_attempts": tally.contigAttempts, "contig_successes": tally.contigSuccesses,
            "contig_ebusy": tally.contigEbusy, "contig_faults": tally.contigFaults,
            "contig_failures": tally.contigAttempts - tally.contigSuccesses, "pages_migrated": s.pagesMigrated,
            "cma_allocs": tally.cmaAllocs, "cma_failures": tally.cmaFailures,
            "offline_ok": tally.offlineOK, "offline_failed": tally.offlineFailed, "online_ok": tally.onlineOK,
            "nr_free_pages": m.totalNrFreePages, "free_pages_allocatable": m.totalAllocatableFree,
            "nr_free_pages_drift": d.nrFreePages, "nr_free_pages_min": minFree,
            "nr_free_blocks_drift": d.nrFreeBlocks, "nr_free_order_mismatch": d.nrFreeOrderMismatch,
            "watermark_misjudgements": s.watermarkMisjudgements,
            "isolated_free_pages": m.totalIsolatedFree, "mixed_pageblocks": m.mixedPageblocks,
            "unusable_free_index": m.unusableFreeIndex(order: m.geometry.pageblockOrder),
            "largest_free_order": m.largestFreeOrder, "faults": out.faults.count,
            "invariant_violations": tally.violationCount,
            "misplaced_free_pages": m.misplacedFreePages, "pcp_pages": m.totalPCPPages,
            "pcp_stale_migratetype_pages": s.pcpStaleMigratetypePages,
            "fallback_unclaimed_pages": s.fallbackUnclaimedPages,
            "isolation_retyped_pageblocks": m.isolationRetypedPageblocks,
        ]
        // Only a workload with gfp masks has the fast/slow path that wakes kswapd; the others'
        // results keep exactly their old metric set.
        if s.gfpRequests > 0 {
            out.metrics["kswapd_wakeups"] = s.kswapdWakeups
            out.metrics["alloc_failures_nonblocking"] = s.nonBlockingFailures
        }
        // Only runs with the compaction model on (a compact op) gain its metrics.
        if m.compactionEnabled { compactionMetrics(m, &out) }
        if program.agingMetrics { collectAgingMetrics(m, &out, tally) }
        if program.reclaim != nil { collectReclaimMetrics(m, &out) }   // after: it reads highorder_successes
        out.pageblockMap = m.pageblockMap()
        out.pageblockFree = m.pageblockFreeShares()
        out.buddyinfo = m.procBuddyinfo()
        out.pagetypeinfo = m.procPagetypeinfo()
        out.zoneinfo = m.procZoneinfo()
    }
}
