import BuddyResults

/// Everything a sweep report shows (experiments with `sweep:`), gathered by the caller; the
/// renderer is pure, as for `ReportInput`.
public struct SweepReportInput: Sendable, Equatable {
    /// All runs (each with its `point`) plus provenance.
    public var document: ResultDocument
    public var description: String
    /// Machine geometry of the first point (a swept machine key differs per point; the sweep
    /// table says which).
    public var machineLines: [MachineLine]
    /// Every point of the sweep in matrix order; empty: the points found in the runs. Points
    /// without runs (a failed shard) show as missing cells.
    public var points: [RunPoint]
    /// Seed order as the experiment lists them; empty: ascending.
    public var seeds: [UInt64]
    /// Outcomes of `expect:`, evaluated per point (text says which).
    public var expectations: [ExpectationLine]
    public var generatedAt: String
    public var command: String
    /// Column order (see `ReportInput.variantOrder`).
    public var variantOrder: [String]
    /// Chart files are named `<chartPrefix>.<metric>.svg` and linked relative to the report.
    public var chartPrefix: String
    /// The heatmap's pfn axis (see `ReportInput.pageblockAxes`), for the last point's machine.
    public var pageblockAxes: [String: PageblockAxis] = [:]

    public init(document: ResultDocument, description: String, machineLines: [MachineLine],
                points: [RunPoint], seeds: [UInt64], expectations: [ExpectationLine],
                generatedAt: String, command: String, variantOrder: [String], chartPrefix: String) {
        self.document = document; self.description = description; self.machineLines = machineLines
        self.points = points; self.seeds = seeds; self.expectations = expectations
        self.generatedAt = generatedAt; self.command = command; self.variantOrder = variantOrder
        self.chartPrefix = chartPrefix
    }
}

/// A rendered report plus the picture files it links (name relative to the report's directory).
public struct RenderedReport: Sendable, Equatable {
    public var markdown: String
    public var files: [(name: String, contents: String)]

    public init(markdown: String, files: [(name: String, contents: String)]) {
        self.markdown = markdown; self.files = files
    }

    public static func == (a: RenderedReport, b: RenderedReport) -> Bool {
        a.markdown == b.markdown && a.files.map(\.name) == b.files.map(\.name)
            && a.files.map(\.contents) == b.files.map(\.contents)
    }
}
