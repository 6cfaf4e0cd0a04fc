import BuddyCore
import BuddyTrace

/// What a trace phase turned into, per seed program (variant-independent facts about the input,
/// reported as metrics next to the simulated ones).
struct TraceTally {
    /// `mm_page_alloc` records that became requests.
    var allocs = 0
    /// `mm_page_alloc` records with no page (the kernel's own failures). Requests in `requests`
    /// mode (the variant may do better); skipped in `pfn` mode (nothing to pin).
    var kernelAllocFailures = 0
    /// `mm_page_free` records matched to a traced allocation (or a batched free of a live page).
    var frees = 0
    /// Frees of pages the trace never saw allocated (allocated before it began, or tail pages of
    /// a `split_page()`d block): counted and skipped.
    var untrackedFrees = 0
    /// Frees whose order differs from the traced allocation's; the whole request is freed.
    var freeOrderMismatches = 0
    /// Allocations of a pfn the trace still held (its free was lost): the old request is dropped.
    var missingFrees = 0
    /// `mm_page_free_batched` of a page `mm_page_free` already freed (6.1/6.12 trace both), and the
    /// zone_locked / pcpu_drain / extfrag observations: counted, not replayed.
    var observations = 0
    /// Lost-event markers (ring buffer overruns) in the file.
    var lostEventMarkers = 0
    /// `mm_page_alloc_extfrag` records of the capture (also in `observations`), and those with
    /// `change_ownership=1`: the kernel's own fallbacks, set beside the replay's `extfrag_events`.
    var captureExtfrag = 0
    var captureExtfragClaims = 0
    /// Frees of pages allocated before the capture, served from the imported `/proc` state
    /// (`from_proc` + requests mode): not in `untrackedFrees`.
    var preCaptureFrees = 0

    var metrics: [String: Int] {
        ["trace_allocs": allocs, "trace_kernel_alloc_failures": kernelAllocFailures, "trace_frees": frees,
         "trace_untracked_frees": untrackedFrees, "trace_free_order_mismatches": freeOrderMismatches,
         "trace_missing_frees": missingFrees, "trace_observations": observations,
         "trace_lost_event_markers": lostEventMarkers,
         "trace_capture_extfrag": captureExtfrag, "trace_capture_extfrag_claims": captureExtfragClaims,
         "trace_precapture_frees": preCaptureFrees]
    }
}

extension GeneratorState {
    /// Streams the trace into events: `mm_page_alloc` → a request (`.alloc`, or `.allocAt` the
    /// traced pfn in `pfn` mode), `mm_page_free` → a free of the request holding that pfn.
    mutating func emitTrace(_ t: TracePhase, fromProc: Bool = false) {
        var live: [Int: (request: Int32, order: Int)] = [:]
        // Pfns whose pre-capture page was already freed (a second untracked free of the same
        // page before the trace allocates it again is not a second page).
        var preFreed = Set<Int>()
        let servePreCapture = fromProc && t.mode == .requests
        var tally = TraceTally()
        // One allocation for the whole trace (the bound is exact up to skipped records), so
        // the array never holds two copies of itself while growing.
        events.reserveCapacity(events.count + t.eventBound)
        do {
            let stats = try TraceReader.forEachRecord(path: t.path, displayPath: t.file) { r in
                switch r.kind {
                case .pageAlloc:
                    let type = TraceMapping.allocType(r.migratetype, t.numbering) ?? .unmovable
                    let gfp = t.useGFP && r.gfpFlags >= 0 ? GFPMask(rawValue: UInt32(r.gfpFlags)) : nil
                    if r.pfn < 0 {
                        tally.kernelAllocFailures += 1
                        guard t.mode == .requests else { return }
                        let id = nextRequest()
                        events.append(ProgramEvent(.alloc(request: id, order: UInt8(r.order), type: type, zone: -1, compound: nil, gfp: gfp)))
                        tally.allocs += 1
                        return
                    }
                    let id = nextRequest()
                    switch t.mode {
                    case .requests:
                        events.append(ProgramEvent(.alloc(request: id, order: UInt8(r.order), type: type, zone: -1, compound: nil, gfp: gfp)))
                    case .pfn:
                        events.append(ProgramEvent(.allocAt(pfn: r.pfn, request: id, order: UInt8(r.order), type: type, compound: nil, gfp: gfp)))
                    }
                    if live.updateValue((id, r.order), forKey: r.pfn) != nil { tally.missingFrees += 1 }
                    preFreed.remove(r.pfn)
                    tally.allocs += 1
                case .pageFree, .pageFreeBatched:
                    guard let held = live.removeValue(forKey: r.pfn) else {
                        if r.kind != .pageFree { tally.observations += 1; return }
                        if servePreCapture, preFreed.insert(r.pfn).inserted {
                            // Allocated before the capture: a request bound to imported memory.
                            let id = nextRequest()
                            preCapture.append(PreCaptureBlock(request: id, order: r.order))
                            events.append(ProgramEvent(.free(request: id)))
                            tally.preCaptureFrees += 1
                        } else {
                            tally.untrackedFrees += 1
                        }
                        return
                    }
                    if held.order != r.order { tally.freeOrderMismatches += 1 }
                    events.append(ProgramEvent(.free(request: held.request)))
                    tally.frees += 1
                case .pageAllocExtfrag:
                    tally.observations += 1
                    tally.captureExtfrag += 1
                    if r.changeOwnership == 1 { tally.captureExtfragClaims += 1 }
                case .pageAllocZoneLocked, .pagePcpuDrain:
                    tally.observations += 1
                }
            }
            tally.lostEventMarkers = stats.lostEventMarkers
        } catch {
            // The file was parsed in full when the experiment was decoded; failing now means it
            // changed or vanished in between, which no result can be honest about.
            preconditionFailure("trace \(t.file) became unreadable after it was checked: \(error)")
        }
        for (key, value) in tally.metrics { workloadMetrics[key, default: 0] += value }
    }
}
