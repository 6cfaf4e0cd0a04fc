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
    /// Streams the trace into events through `TraceMatcher` (one op per record at most).
    mutating func emitTrace(_ t: TracePhase, fromProc: Bool = false) {
        // The decode pass's ops (one parse): ids counted from the phase's first request.
        if let spill = t.summary.spill {
            let first = requestCount
            events.reserveCapacity(events.count + t.summary.events)
            _ = spill.forEachOp(requestOffset: first) { op in events.append(ProgramEvent(op)); return true }
            requestCount = first + Int32(t.summary.requests)
            preCapture += t.summary.preCapture.map { PreCaptureBlock(request: $0.request + first, order: $0.order) }
            for (key, value) in t.summary.metrics { workloadMetrics[key, default: 0] += value }
            return
        }
        var matcher = TraceMatcher(t, servePreCapture: fromProc, firstRequest: requestCount)
        // One allocation for the whole trace (the decode pass counted its events exactly), so
        // the array never holds two copies of itself while growing.
        events.reserveCapacity(events.count + max(t.summary.events, 0))
        do {
            let stats = try TraceReader.forEachRecord(path: t.path, displayPath: t.file) { r in
                if let op = matcher.consume(r) { events.append(ProgramEvent(op)) }
            }
            requestCount = matcher.nextRequest
            preCapture.append(contentsOf: matcher.preCapture)
            for (key, value) in matcher.finalTally(stats).metrics { workloadMetrics[key, default: 0] += value }
        } catch {
            // The file was parsed in full when the experiment was decoded; failing now means it
            // changed or vanished in between, which no result can be honest about.
            preconditionFailure("trace \(t.file) became unreadable after it was checked: \(error)")
        }
    }
}
