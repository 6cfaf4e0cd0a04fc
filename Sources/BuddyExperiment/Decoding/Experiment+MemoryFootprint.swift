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
        streamedFootprintBytes() ?? EngineFootprint.runBytes(machine.layout, events: eventBound)
    }

    /// The footprint of a run of the streamed program, or nil when `run` holds it whole (a
    /// workload with other phases, or under `threshold` events).
    public func streamedFootprintBytes(from threshold: Int = WorkloadGenerator.streamingThreshold) -> Int? {
        var summaries: [TraceSummary] = []
        for phase in workload {
            guard case .trace(let t) = phase, t.summary.measured else { return nil }
            summaries.append(t.summary)
        }
        let events = summaries.reduce(0) { $0 + $1.events }
        guard !summaries.isEmpty, events >= threshold else { return nil }
        // Live requests never exceed the traced live pages plus the requests no free will name:
        // the kernel's failed allocations and those whose free the trace lost.
        let live = summaries.reduce(0) { n, s in
            n + s.peakLive + (s.metrics["trace_kernel_alloc_failures"] ?? 0) + (s.metrics["trace_missing_frees"] ?? 0)
        }
        return EngineFootprint.streamedRunBytes(
            machine.layout, liveBound: live,
            matchedPages: summaries.map(\.peakLive).max() ?? 0, chunkEvents: TraceEventSource.defaultChunkSize)
    }

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
