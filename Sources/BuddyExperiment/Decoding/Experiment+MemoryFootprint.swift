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
    public var runFootprintBytes: Int {
        if let bytes = streamedFootprintBytes() { return bytes }
        // A trace-only workload held whole: its decode pass counted the live pages and requests,
        // so the handle table is sized by those, not by the worst case of one live page per event.
        if let (live, requests, events) = traceCounts() {
            return EngineFootprint.runBytes(machine.layout, events: events, liveBound: live, requests: requests)
        }
        return EngineFootprint.runBytes(machine.layout, events: eventBound)
    }

    /// What the `buddylab` process itself takes besides its runs: code, the Swift runtime and
    /// Foundation, the experiment and the report. Measured, not derived (release build, x86_64
    /// Linux, Swift 6.3, `/usr/bin/time` peak RSS of `buddylab run` minus the runs' estimate on
    /// one-variant experiments from a 16 MiB to a 64 GiB machine: 31.9-37.5 MiB; docs/limits.md).
    public static let processBytes = 34 << 20

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
        guard let (live, _, events) = traceCounts(), events >= threshold else { return nil }
        let matched = workload.map { if case .trace(let t) = $0 { t.summary.peakLive } else { 0 } }.max() ?? 0
        return EngineFootprint.streamedRunBytes(
            machine.layout, liveBound: live, matchedPages: matched, chunkEvents: TraceEventSource.defaultChunkSize)
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
