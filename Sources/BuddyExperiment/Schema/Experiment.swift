import BuddyCore
import BuddyResults
import BuddyYAML

/// A decoded, fully checked experiment file (schema 1).
///
/// Everything here is resolved: sizes are pages, addresses are pfns, zone and CMA-area names are
/// indices, variant ids exist in the registry, metric names exist in the catalog and op indices
/// exist in the script. Once an `Experiment` exists, generating and running it cannot fail on
/// input, which is what lets `buddylab run` refuse bad input before writing anything.
/// The YAML keys, units and defaults are documented in `experiments/README.md`.
public struct Experiment: Sendable, Equatable {
    /// The schema version this module reads (`schema: 1`).
    public static let schemaVersion = 1

    /// Path the experiment was read from, as given (used in messages and result records).
    public var file: String
    /// SHA-256 (hex) of the file's bytes, or of the decoded text for in-memory experiments.
    public var sourceSHA256: String
    /// `name:` — `[a-z0-9-]+`, used in file names.
    public var name: String
    /// `description:` — free text, default empty.
    public var description: String
    /// `machine:` — the resolved machine.
    public var machine: MachineConfig
    /// `variants:` — selected variant ids in registry order (`all` → every registered variant).
    public var variants: [String]
    /// `baseline:` — reference column for deltas; always one of `variants`.
    public var baseline: String
    /// `seeds:` — the seeds in file order (`seeds: N` → 1...N).
    public var seeds: [UInt64]
    /// `workload:` — the phases, in order.
    public var workload: [WorkloadPhase]
    /// `expect:` — in file order.
    public var expectations: [Expectation]
    /// Every scripted op of `workload: - ops:`, indexed by its script index (0-based, file order).
    public var scriptedOps: [ScriptedOp]
    /// An upper bound of the events one seed's program holds (used to reserve capacity and to
    /// refuse workloads that would not fit in memory; see `maxEvents`).
    public var eventBound: Int
    /// Where the `machine:` key is written: memory-footprint errors point there
    /// (`Experiment+MemoryFootprint.swift`). 0:0 for experiments built in code.
    public var machineMark = YAMLMark(line: 0, column: 0)
    /// The sweep point this experiment is (`sweep:` files only): its values are already
    /// substituted into `machine` and `workload`.
    public var point: RunPoint? = nil
    /// `reclaim: { swap, kswapd_pages_per_event }` — the reclaim stand-in; nil: no reclaim.
    public var reclaim: ReclaimConfig? = nil
    /// `series: { every: N }` — a time-series point every N events; 0: no series.
    public var seriesEvery = 0

    /// Largest workload held in memory, in events per seed: every workload with a generated
    /// phase (`fill`, `churn`, `age`, …), and whatever `shrink`, `diverge` or a `--kernel`
    /// column builds whole. A `ProgramEvent` takes 32 bytes, so this caps one program at 3.2 GB
    /// (and a typo such as `events: 1000000000` is refused, not run for an hour).
    public static let maxEvents = 100_000_000

    /// Largest workload made only of `trace:` phases, which `run` streams (issue 25: memory
    /// bounded by the live pages, the ops spilled to disk at 8 B each): the trace's own length,
    /// not a number someone typed. 2 × 10⁹ keeps every request id inside the `Int32` the engine
    /// and the spill use (a request needs at least one event).
    public static let maxStreamedEvents = 2_000_000_000

    /// Whether the workload is only `trace:` phases (a workload `run` streams from 2²⁰ events).
    public var isTraceOnly: Bool {
        !workload.isEmpty && workload.allSatisfy(\.isTrace)
    }

    /// Why a command that holds the whole program in memory (`shrink`, `diverge`, a `--kernel`
    /// column) cannot take this experiment, or nil: a streamed trace past `maxEvents`.
    public func heldWholeProblem(limit: Int = Experiment.maxEvents) -> String? {
        guard eventBound > limit else { return nil }
        return "\(file): the workload has \(eventBound) events per seed; this holds the whole program in "
            + "memory (32 B an event), at most \(limit) events — only `run` and `validate` stream a longer trace"
    }

    public init(file: String, sourceSHA256: String, name: String, description: String,
                machine: MachineConfig, variants: [String], baseline: String, seeds: [UInt64],
                workload: [WorkloadPhase], expectations: [Expectation], scriptedOps: [ScriptedOp],
                eventBound: Int) {
        self.file = file; self.sourceSHA256 = sourceSHA256; self.name = name
        self.description = description; self.machine = machine; self.variants = variants
        self.baseline = baseline; self.seeds = seeds; self.workload = workload
        self.expectations = expectations; self.scriptedOps = scriptedOps; self.eventBound = eventBound
    }

    /// Human labels of the scripted ops by index (e.g. `contig 0x600+512`), for report tables.
    public var opLabels: [Int: String] {
        var labels: [Int: String] = [:]
        for op in scriptedOps { labels[op.index] = op.label }
        return labels
    }
}

/// The `machine:` section: the preset it started from and the resolved layout the engine gets.
public struct MachineConfig: Sendable, Equatable {
    /// `preset:` as written (default `x86_64`); overrides are already applied to `layout`.
    public var preset: String
    public var layout: MachineLayout
    /// `from_proc:` — the imported `/proc` state (`ProcImport`), nil for a machine that boots empty.
    public var procImport: ProcImport? = nil

    public init(preset: String, layout: MachineLayout) {
        self.preset = preset; self.layout = layout
    }

    public var geometry: Geometry { layout.geometry }
    public var pageSize: Int { layout.geometry.pageSize }
    /// Number of memory blocks (hotplug units), numbered from 0 at `ram_start`.
    public var blockCount: Int { layout.totalPages / layout.memoryBlockPages }

    /// Index of the zone called `name`.
    public func zoneIndex(_ name: String) -> Int? { layout.zones.firstIndex { $0.name == name } }

    /// The memory blocks zone `z`'s span touches (a block may be shared with a neighbour zone).
    public func blocks(ofZone z: Int) -> Range<Int> {
        let first = (layout.zoneStart(z) - layout.ramStartPfn) / layout.memoryBlockPages
        let last = (layout.zoneStart(z) + layout.zones[z].pages - 1 - layout.ramStartPfn) / layout.memoryBlockPages
        return first..<(last + 1)
    }
}
