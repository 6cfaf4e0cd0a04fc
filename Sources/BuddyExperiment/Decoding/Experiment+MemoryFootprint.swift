import BuddyCore
import BuddyYAML

/// How much memory running an experiment takes, and the check that refuses a machine which
/// cannot fit before anything is allocated (issue 12, defect 2: a 3 TiB zone of 1 KiB pages
/// validated, then died in `allocate(capacity:)` with exit 134).
///
/// The figures come from `EngineFootprint` (the engine's own element types); this file only
/// adds the experiment's event bound and turns them into a located message.
extension Experiment {
    /// The most one (variant, seed) run can take: the machine's fixed state, its handle table at
    /// the largest the workload can make it, and the seed's program.
    /// A trace workload `run` streams (`WorkloadGenerator.streamingThreshold`) holds no program:
    /// its figure comes from the decode pass's counts instead (`streamedFootprintBytes`).
    public var runFootprintBytes: Int { workloadBytes + spillMemoryBytes }

    /// The decode passes' spills kept in memory (each file once): the ops of every bundled
    /// capture, up to 1 MiB a trace, held for as long as the experiment.
    var spillMemoryBytes: Int {
        var seen = Set<ObjectIdentifier>(), bytes = 0
        for case .trace(let t) in workload {
            guard let s = t.summary.spill, seen.insert(ObjectIdentifier(s)).inserted else { continue }
            bytes += s.memoryBytes
        }
        return bytes
    }

    private var workloadBytes: Int {
        if let bytes = streamedFootprintBytes() { return bytes }
        // A trace-only workload held whole: its decode pass counted the live pages and requests,
        // so the handle table is sized by those, not by the worst case of one live page per event.
        // (Its array is reserved to the decode pass's exact count: `emitTrace`.)
        if let (live, requests, events) = traceCounts() {
            return EngineFootprint.runBytes(machine.layout, events: events, liveBound: live, requests: requests)
                + requestExtrasBytes(requests: requests, classed: 0)
        }
        return generatedRunBytes(events: eventBound, liveBound: eventBound, requests: eventBound,
                                 classed: hasClassedRequests ? eventBound : 0)
    }

    /// One run of a generated program of `events` events and `requests` requests, at most
    /// `liveBound` live: the bound's figures, or a census's (`runFootprintBytes(census:)`).
    /// Slots reserved but never written are not resident, so the run holds the events; past the
    /// generator's reservation the array doubles, and while it copies, the old and the new buffer
    /// are both written (before the machine exists).
    func generatedRunBytes(events: Int, liveBound: Int, requests: Int, classed: Int) -> Int {
        let run = EngineFootprint.runBytes(machine.layout, events: events, liveBound: liveBound,
                                           requests: requests, releases: mayFreeHandles)
            + requestExtrasBytes(requests: requests, classed: classed)
        let reserved = min(eventBound, WorkloadGenerator.reservedEvents)
        let capacity = EngineFootprint.eventCapacity(events: events, reserved: reserved)
        // The last doubling copies `capacity / 2` events into a buffer of `capacity`: both written.
        let copying = capacity > reserved ? capacity * EngineFootprint.bytesPerEvent : 0
        return max(run, copying)
    }

    /// What a run holds per request beyond the engine's map: the reclaim stand-in's arrays
    /// (with `reclaim:`) and the program's class bytes (`classed` requests). Left out of the
    /// estimate before issue 25's census: 7.8 MiB of `defrag-mode`'s 68.5 MiB.
    func requestExtrasBytes(requests: Int, classed: Int) -> Int {
        (reclaim != nil ? requests * EngineFootprint.bytesPerReclaimRequest : 0)
            + classed * EngineFootprint.bytesPerClassedRequest
    }

    /// Whether the programs carry a class per request (an `age:` phase).
    var hasClassedRequests: Bool { workload.contains { if case .age = $0 { true } else { false } } }

    /// Whether a run can free a workload allocation (and so write the handle table's free
    /// stack): any phase but `fill`, `offline`/`online` and ops without a `free:`, or reclaim.
    var mayFreeHandles: Bool {
        reclaim != nil || workload.contains(where: \.mayFreeHandles)
    }

    /// The `buddylab run` process itself while its runs execute: the pages of the executable and
    /// of the libraries it has touched by then (Swift runtime, Foundation and its ICU data,
    /// libgit2, libyaml, OpenSSL: file-backed, ≈ 26.8 MiB) and its own heap before the first
    /// run (the decoded experiment, the repository's index and diff for the provenance: 3-5 MiB).
    /// Measured, not derived: `/proc/PID/smaps_rollup` sampled during release runs (x86_64
    /// Linux, Swift 6.3); `/usr/bin/time` less the run's estimate on 4-64 GiB machines gives
    /// 30.6-31.2 MiB outside a repository and 31.5-31.9 MiB inside this one (docs/limits.md).
    public static let processRunBytes = (31 << 20) + (256 << 10)

    /// The process once the runs are done, with one run: writing the report, the JSON and the
    /// store (date formatting, the encoders, the SVG) touches more code (file-backed
    /// ≈ 32.8 MiB at the end) beside a heap of ≈ 3-4 MiB: 37.2-37.5 MiB peak RSS on a 16 MiB
    /// machine whatever the seeds (1-5) or variants (1-10). On a small machine this, not the
    /// runs, is the peak.
    public static let processEndBytes = (37 << 20) + (300 << 10)

    /// What each further variant leaves in the process: the Swift runtime's metadata of its
    /// specialised engine types and the code pages its paths touched. `smoke.yaml` (1 against
    /// 5, 10 and 19 variants, one seed): 72-110 KiB each.
    public static let processBytesPerVariant = 80 << 10

    /// What each finished run leaves until the report is written: its `RunResult` (metrics,
    /// op outcomes, faults, pageblock map and free-share strings of a character per pageblock)
    /// and its share of the report's tables: ≈ 16 KiB plus 2 B per pageblock (`contig-sweep`'s
    /// 270 runs: 18 KiB each on 256 MiB; 64 GiB machines: 60-90 KiB each over 1-8 seeds).
    public var resultBytesPerRun: Int {
        (16 << 10) + 2 * (machine.layout.totalPages >> machine.geometry.pageblockOrder)
    }

    /// The peak RSS of `buddylab run` with `jobs` runs side by side and `runs` runs in all
    /// (issue 25; default: this experiment's variants × seeds; a sweep passes all its points'):
    /// the larger of the process during its last run (the runs before it left their results)
    /// and the process at the end. `validate` prints it for one run at a time.
    /// `footprint`: one run's bytes (default `runFootprintBytes`; `validate` passes
    /// `runFootprintBytes(census:)`).
    public func peakRSSBytes(jobs: Int = 1, runs: Int? = nil, footprint: Int? = nil) -> Int {
        let runs = max(1, runs ?? variants.count * seeds.count)
        let kept = max(0, variants.count - 1) * Self.processBytesPerVariant + (runs - 1) * resultBytesPerRun
        return max(Self.processRunBytes + max(1, jobs) * (footprint ?? runFootprintBytes) + kept, Self.processEndBytes + kept)
    }

    /// For a workload made only of decoded trace phases: the most requests it can hold live (the
    /// traced live pages' peak plus the requests no free will name: the kernel's failed
    /// allocations and those whose free the trace lost), its requests and its events.
    func traceCounts() -> (live: Int, requests: Int, events: Int)? {
        var live = 0, requests = 0, events = 0
        for phase in workload {
            guard case .trace(let t) = phase, t.summary.measured else { return nil }
            let s = t.summary
            live += s.peakLive + (s.metrics["trace_kernel_alloc_failures"] ?? 0) + (s.metrics["trace_missing_frees"] ?? 0)
            requests += s.requests
            events += s.events
        }
        return workload.isEmpty ? nil : (live, requests, events)
    }

    /// The footprint of a run of the streamed program, or nil when `run` holds it whole (a
    /// workload with other phases, or under `threshold` events).
    public func streamedFootprintBytes(from threshold: Int = WorkloadGenerator.streamingThreshold) -> Int? {
        guard let (live, requests, events) = traceCounts(), events >= threshold else { return nil }
        let matched = workload.map { if case .trace(let t) = $0 { t.summary.peakLive } else { 0 } }.max() ?? 0
        return EngineFootprint.streamedRunBytes(
            machine.layout, liveBound: live, matchedPages: matched, chunkEvents: TraceEventSource.defaultChunkSize)
            + requestExtrasBytes(requests: requests, classed: 0)
    }

    /// For a workload `run` streams (trace phases alone, at least `threshold` events): its
    /// events per seed, the bytes its decode pass spilled to disk and the seconds that pass
    /// took (the one parse; every run then reads the spill back). Nil for a workload held whole.
    public func streamFacts(from threshold: Int = WorkloadGenerator.streamingThreshold)
        -> (events: Int, spillBytes: Int, decodeSeconds: Double)? {
        guard let (_, _, events) = traceCounts(), events >= threshold else { return nil }
        var spill = 0, seconds = 0.0
        var seen = Set<ObjectIdentifier>()   // a file named twice is decoded (and spilled) once
        for case .trace(let t) in workload {
            if let s = t.summary.spill, !seen.insert(ObjectIdentifier(s)).inserted { continue }
            spill += t.summary.spillFileBytes
            seconds += t.summary.decodeSeconds
        }
        return (events, spill, seconds)
    }

    /// Where a streamed trace's spill goes (`$TMPDIR`, else /tmp) and the room left there.
    public static var spillDirectory: String { TraceSpill.directory }
    public static func spillFreeBytes() -> Int? { TraceSpill.freeBytes() }

    /// The fixed engine state alone (frames, pageblocks, lists, tables).
    public var engineStateBytes: Int { EngineFootprint.machineBytes(machine.layout) }

    /// Refuses the experiment when one run needs more than `availableBytes`.
    ///
    /// The error is located at the `machine:` key and gives both figures, e.g.
    /// `machine needs 30 GiB per run (10 B per frame × 3221225472 frames + …), 21 GiB available
    /// (MemAvailable)`.
    /// - Parameters:
    ///   - availableBytes: what the host can give one run.
    ///   - source: where that figure came from, for the message (`MemAvailable in /proc/meminfo`,
    ///     `--max-memory`).
    public func checkMemory(availableBytes: Int, source: String) throws(YAMLDecodeError) {
        let need = runFootprintBytes
        guard need > availableBytes else { return }
        let frames = machine.layout.totalPages
        let rest = need - frames * EngineFootprint.bytesPerFrame
        throw YAMLDecodeError(
            file: file, mark: machineMark,
            message: "machine needs \(Self.gib(need)) of engine state per run "
                + "(\(EngineFootprint.bytesPerFrame) B per frame × \(frames) frames + \(Self.gib(rest)) of tables, "
                + "handles and workload), \(Self.gib(availableBytes)) available (\(source)); "
                + "use smaller zones or a larger page_size, or set --max-memory")
    }

    /// How many runs fit side by side in `availableBytes` (at least 1, at most `jobs`).
    public func runsThatFit(availableBytes: Int, jobs: Int) -> Int {
        max(1, min(jobs, availableBytes / max(1, runFootprintBytes)))
    }

    /// `30 GiB`, `1.5 GiB`, `12 MiB`: a size for messages, two significant decimals at most.
    public static func gib(_ bytes: Int) -> String {
        let units: [(String, Double)] = [("TiB", 0x1p40), ("GiB", 0x1p30), ("MiB", 0x1p20), ("KiB", 0x1p10)]
        for (unit, size) in units where Double(bytes) >= size {
            let value = Double(bytes) / size
            let rounded = (value * 10).rounded() / 10
            let text = rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
            return text + " " + unit
        }
        return "\(bytes) B"
    }
}
