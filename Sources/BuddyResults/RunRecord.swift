/// The result records of `../shared/contract.md` ("Result JSON").
///
/// Field names on disk are snake_case exactly as the contract spells them; the Swift names are
/// camelCase with explicit `CodingKeys`. Every type is a `Sendable` value so records can cross
/// task boundaries in the parallel runner. Encoding goes through `ResultJSON` (sorted keys), so the
/// same record always serialises to the same bytes.

import BuddyProvenance

/// The repository revision a result was produced from: BuddyProvenance's `Revision` (read
/// through libgit2), which encodes itself with the contract's field names.
public typealias RevisionInfo = Revision

/// The tool that produced a record.
public struct ToolInfo: Codable, Sendable, Equatable {
    public var version: String
    public var swift: String
    public init(version: String, swift: String) { self.version = version; self.swift = swift }
}

/// Which experiment a record belongs to.
public struct ExperimentRef: Codable, Sendable, Equatable {
    public var name: String
    /// Path as given on the command line (relative to the repository when possible).
    public var file: String
    /// SHA-256 of the experiment file's bytes.
    public var sha256: String
    public init(name: String, file: String, sha256: String) {
        self.name = name; self.file = file; self.sha256 = sha256
    }
}

/// Result of one scripted op (`workload: - ops:`), in script order.
public struct OpOutcome: Codable, Sendable, Equatable {
    /// Index of the op across the whole experiment's scripted ops, from 0 (what `expect: op:` names).
    public var index: Int
    /// The op's keyword: alloc, free, isolate, unisolate, contig, cma_declare, offline, online, watermark.
    public var op: String
    /// ok | fail | ebusy | einval | enomem | fault
    public var result: String
    /// Free text: what the engine saw (pages moved, pfn returned, failing pfn...). Not compared.
    public var detail: String?
    public init(index: Int, op: String, result: String, detail: String? = nil) {
        self.index = index; self.op = op; self.result = result; self.detail = detail
    }
}

/// Something a variant did that the kernel would crash or hang on; the simulator recorded it and went on.
public struct FaultRecord: Codable, Sendable, Equatable {
    /// Index of the workload event during which the fault happened.
    public var event: Int
    /// Stable kebab-case kind, e.g. `invalid-pfn`, `unbounded-loop`.
    public var kind: String
    public var detail: String
    public init(event: Int, kind: String, detail: String) {
        self.event = event; self.kind = kind; self.detail = detail
    }
}

/// Per-variant final state views that reports draw (pageblock map, /proc-style dumps) and series
/// that charts plot. Optional: older records may lack them.
public struct RunExtras: Codable, Sendable, Equatable {
    /// Named series of integers, e.g. `nr_free_pages_drift_per_cycle`, `contig_success_by_fill`.
    public var series: [String: [Int]]
    /// Per zone name: one character per pageblock (U M R H C I, `.` offline).
    public var pageblockMap: [String: String]
    /// `/proc/buddyinfo` layout of the final state.
    public var buddyinfo: String?
    /// `/proc/pagetypeinfo` layout of the final state.
    public var pagetypeinfo: String?
    /// Per zone name: one hex digit per pageblock, its free share in sixteenths (`0`–`f`), for
    /// the pageblock heatmap. Absent in records written before it existed.
    public var pageblockFree: [String: String]?
    /// `trace: { mode: pfn }`: the first kernel allocations this variant could not have returned at
    /// the kernel's pfn (event order; the metric `trace_pfn_divergences` counts all). Divergences
    /// of the replay, not faults. Absent when there were none.
    public var pinnedDivergences: [FaultRecord]?

    public init(series: [String: [Int]] = [:], pageblockMap: [String: String] = [:],
                buddyinfo: String? = nil, pagetypeinfo: String? = nil,
                pageblockFree: [String: String]? = nil, pinnedDivergences: [FaultRecord]? = nil) {
        self.series = series; self.pageblockMap = pageblockMap
        self.buddyinfo = buddyinfo; self.pagetypeinfo = pagetypeinfo
        self.pageblockFree = pageblockFree; self.pinnedDivergences = pinnedDivergences
    }

    enum CodingKeys: String, CodingKey {
        case series, buddyinfo, pagetypeinfo
        case pageblockMap = "pageblock_map"
        case pageblockFree = "pageblock_free"
        case pinnedDivergences = "pinned_divergences"
    }
}

/// One (variant, seed) run.
public struct RunResult: Codable, Sendable, Equatable {
    public var variant: String
    public var seed: UInt64
    /// SHA-256 of the request stream; equal for every variant of one (experiment, seed).
    public var workloadSHA256: String
    /// Contract metric names → value. Integers only: ratios are scaled (×1000) by their definition.
    public var metrics: [String: Int]
    public var ops: [OpOutcome]
    public var faults: [FaultRecord]
    public var extras: RunExtras?
    /// Wall-clock figures; the only fields allowed to differ between identical runs.
    public var timing: [String: Double]?
    /// The sweep point of the run (`sweep:` experiments only; absent otherwise).
    public var point: RunPoint?
    /// Set on a run made on a real kernel (`buddylab run --kernel`); absent for simulated variants.
    public var kernel: RealKernelRun?
    /// `series: { every: N }` experiments: `{"t": [event index…], "<metric>": [values…]}`, one
    /// value per point (docs/aging.md lists the metrics). Absent otherwise.
    public var series: [String: [Int]]?

    public init(variant: String, seed: UInt64, workloadSHA256: String, metrics: [String: Int],
                ops: [OpOutcome], faults: [FaultRecord], extras: RunExtras? = nil,
                timing: [String: Double]? = nil, point: RunPoint? = nil, kernel: RealKernelRun? = nil,
                series: [String: [Int]]? = nil) {
        self.variant = variant; self.seed = seed; self.workloadSHA256 = workloadSHA256
        self.metrics = metrics; self.ops = ops; self.faults = faults; self.extras = extras
        self.timing = timing; self.point = point; self.kernel = kernel; self.series = series
    }

    enum CodingKeys: String, CodingKey {
        case variant, seed, metrics, ops, faults, extras, timing, point, kernel, patch, series
        case workloadSHA256 = "workload_sha256"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        variant = try c.decode(String.self, forKey: .variant)
        seed = try c.decode(UInt64.self, forKey: .seed)
        workloadSHA256 = try c.decode(String.self, forKey: .workloadSHA256)
        metrics = try c.decode([String: Int].self, forKey: .metrics)
        ops = try c.decode([OpOutcome].self, forKey: .ops)
        faults = try c.decode([FaultRecord].self, forKey: .faults)
        extras = try c.decodeIfPresent(RunExtras.self, forKey: .extras)
        timing = try c.decodeIfPresent([String: Double].self, forKey: .timing)
        point = try c.decodeIfPresent(RunPoint.self, forKey: .point)
        kernel = try c.decodeIfPresent(RealKernelRun.self, forKey: .kernel)
        kernel?.patch = try c.decodeIfPresent(RealKernelRun.Patch.self, forKey: .patch)
        series = try c.decodeIfPresent([String: [Int]].self, forKey: .series)
    }

    /// A real-kernel run (`kernel_runs` entry) always carries `patch`: `{file, sha256}` or
    /// `null` for the base kernel (contract); a simulated run has neither `kernel` nor `patch`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(variant, forKey: .variant)
        try c.encode(seed, forKey: .seed)
        try c.encode(workloadSHA256, forKey: .workloadSHA256)
        try c.encode(metrics, forKey: .metrics)
        try c.encode(ops, forKey: .ops)
        try c.encode(faults, forKey: .faults)
        try c.encodeIfPresent(extras, forKey: .extras)
        try c.encodeIfPresent(timing, forKey: .timing)
        try c.encodeIfPresent(point, forKey: .point)
        try c.encodeIfPresent(kernel, forKey: .kernel)
        if let kernel { try c.encode(kernel.patch, forKey: .patch) }
        try c.encodeIfPresent(series, forKey: .series)
    }
}

/// The `--json FILE` document: one experiment, all selected variants × seeds.
public struct ResultDocument: Codable, Sendable, Equatable {
    public var schema: Int
    /// nil outside a repository or before the first commit; `revisionNote` then says why.
    public var revision: RevisionInfo?
    public var revisionNote: String?
    public var tool: ToolInfo
    public var experiment: ExperimentRef
    /// The baseline variant id of the experiment (reference column for deltas).
    public var baseline: String?
    public var runs: [RunResult]
    /// Runs on a real kernel (`buddylab run --kernel`), kept apart from `runs`: they are not
    /// variants — their workload is the kernel's command batch and they report only the metrics
    /// a kernel log gives — so every entry of `runs` keeps the contract's per-variant rules
    /// (one workload hash per seed, every metric). Absent when none.
    public var kernelRuns: [RunResult]?

    public init(schema: Int = 1, revision: RevisionInfo?, revisionNote: String?, tool: ToolInfo,
                experiment: ExperimentRef, baseline: String?, runs: [RunResult], kernelRuns: [RunResult]? = nil) {
        self.schema = schema; self.revision = revision; self.revisionNote = revisionNote
        self.tool = tool; self.experiment = experiment; self.baseline = baseline; self.runs = runs
        self.kernelRuns = kernelRuns
    }

    enum CodingKeys: String, CodingKey {
        case schema, revision, tool, experiment, baseline, runs
        case revisionNote = "revision_note"
        case kernelRuns = "kernel_runs"
    }

    // `revision` is always written, as `null` when absent (the contract's "revision": null).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schema, forKey: .schema)
        try c.encode(revision, forKey: .revision)
        try c.encodeIfPresent(revisionNote, forKey: .revisionNote)
        try c.encode(tool, forKey: .tool)
        try c.encode(experiment, forKey: .experiment)
        try c.encodeIfPresent(baseline, forKey: .baseline)
        try c.encode(runs, forKey: .runs)
        if let k = kernelRuns, !k.isEmpty { try c.encode(k, forKey: .kernelRuns) }
    }
}

/// One stored record: a single run plus everything needed to know where it came from.
/// The store keeps one file per (experiment sha, variant, seed, revision).
public struct StoredRecord: Codable, Sendable, Equatable {
    public var schema: Int
    public var revision: RevisionInfo?
    public var revisionNote: String?
    public var tool: ToolInfo
    public var experiment: ExperimentRef
    public var baseline: String?
    public var run: RunResult
    /// ISO-8601 time the record was written (informational).
    public var storedAt: String
    /// True when stored from a dirty tree with `--allow-dirty` (eligible as a baseline).
    public var allowDirty: Bool

    public init(schema: Int = 1, revision: RevisionInfo?, revisionNote: String?, tool: ToolInfo,
                experiment: ExperimentRef, baseline: String?, run: RunResult, storedAt: String,
                allowDirty: Bool) {
        self.schema = schema; self.revision = revision; self.revisionNote = revisionNote
        self.tool = tool; self.experiment = experiment; self.baseline = baseline; self.run = run
        self.storedAt = storedAt; self.allowDirty = allowDirty
    }

    enum CodingKeys: String, CodingKey {
        case schema, revision, tool, experiment, baseline, run
        case revisionNote = "revision_note"
        case storedAt = "stored_at"
        case allowDirty = "allow_dirty"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schema, forKey: .schema)
        try c.encode(revision, forKey: .revision)
        try c.encodeIfPresent(revisionNote, forKey: .revisionNote)
        try c.encode(tool, forKey: .tool)
        try c.encode(experiment, forKey: .experiment)
        try c.encodeIfPresent(baseline, forKey: .baseline)
        try c.encode(run, forKey: .run)
        try c.encode(storedAt, forKey: .storedAt)
        try c.encode(allowDirty, forKey: .allowDirty)
    }
}
