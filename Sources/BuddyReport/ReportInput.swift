import BuddyResults

/// Everything the experiment report shows, gathered by the caller.
///
/// The renderers are pure: they never read files, the clock or the environment, so the same input
/// always renders to the same bytes (golden-file tests depend on that, and so does pasting a
/// regenerated report into a linux-mm thread without spurious diffs). Whatever is not in the
/// result document — the experiment description, the machine geometry as the YAML resolved it,
/// labels of scripted ops, expectation outcomes, the date — is passed in here.
public struct ReportInput: Sendable, Equatable {
    /// All runs of one experiment (every selected variant × seed) plus provenance.
    public var document: ResultDocument
    /// The experiment's free-text `description:`.
    public var description: String
    /// Resolved machine geometry, in display order: preset, page size, max order, pageblock
    /// order, memory block, ram_start, each zone with its size, CMA areas.
    public var machineLines: [MachineLine]
    /// Per variant column: what it models and which running kernel checked it (the report's
    /// "Variants" section); empty leaves the section out.
    public var variantLines: [MachineLine] = []
    /// Seeds in the order the experiment lists them; empty means "the seeds found in the runs,
    /// ascending". The first one is the seed charts, op tables and maps are drawn from.
    public var seeds: [UInt64]
    /// Outcome of every `expect:` entry, in file order.
    public var expectations: [ExpectationLine]
    /// Human description of scripted op `i` (e.g. "contig 0x600+512"); missing ops fall back to
    /// the op keyword of the record.
    public var opLabels: [Int: String]
    /// When the report was generated, already formatted (the renderer never reads the clock).
    public var generatedAt: String
    /// The command that reproduces the report, shown verbatim.
    public var command: String
    /// Column order of variants. Empty means: baseline first, then the other ids ascending.
    /// Ids listed here but absent from the runs are ignored; ids in the runs but not listed are
    /// appended in ascending order.
    public var variantOrder: [String]
    /// Append each variant's `/proc/buddyinfo` and `/proc/pagetypeinfo` of the first seed (the
    /// CLI's `--proc-dumps`). Off by default: a dump is two screens per variant and only needed
    /// when a number in the tables looks wrong; the records keep the dumps either way.
    public var includeProcDumps: Bool
    /// File name (relative to the report) of the SVG pageblock heatmap the caller writes beside
    /// the report (`renderPageblockHeatmap`); when set, the pageblock section links it. Nil: text
    /// maps only (stdout, golden files).
    public var pageblockHeatmapFile: String? = nil
    /// Metric → file name (relative to the report) of its time-series chart
    /// (`TimeSeriesChartSVG`), written by the caller beside the report; empty: none linked.
    public var timeSeriesFiles: [String: String] = [:]
    /// Zone → where its pageblocks sit (first pfn, block size, memory-block grid), for the
    /// heatmap's pfn axis and memory-block lines. Empty: blocks are labelled by index.
    public var pageblockAxes: [String: PageblockAxis] = [:]
    /// Why a kernel asked for with `buddylab run --kernel` has no column (one sentence each,
    /// e.g. "kernel 6.12: no column: nothing of the experiment can run on a real kernel: …").
    public var kernelNotes: [String] = []

    public init(document: ResultDocument, description: String, machineLines: [MachineLine],
                seeds: [UInt64], expectations: [ExpectationLine], opLabels: [Int: String],
                generatedAt: String, command: String, variantOrder: [String] = [],
                includeProcDumps: Bool = false) {
        self.document = document; self.description = description
        self.machineLines = machineLines; self.seeds = seeds; self.expectations = expectations
        self.opLabels = opLabels; self.generatedAt = generatedAt; self.command = command
        self.variantOrder = variantOrder; self.includeProcDumps = includeProcDumps
    }
}

/// One row of the machine geometry table, e.g. `("zone Normal", "1GiB (262144 pages)")`.
public struct MachineLine: Sendable, Equatable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) { self.name = name; self.value = value }
}

/// The outcome of one `expect:` entry.
public struct ExpectationLine: Sendable, Equatable {
    /// The expectation as written, e.g. "linux-5.18: contig_successes equals 0".
    public var text: String
    public var passed: Bool
    /// What was observed when it failed (or any extra note), e.g. "got 3 on seed 2".
    public var detail: String?
    public init(text: String, passed: Bool, detail: String? = nil) {
        self.text = text; self.passed = passed; self.detail = detail
    }
}
