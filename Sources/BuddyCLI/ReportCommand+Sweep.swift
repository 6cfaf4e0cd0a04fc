import BuddyExperiment
import BuddyReport
import BuddyResults
import BuddyVariants
import Foundation

/// `report --variants A,B[,C]`: which stored variants become columns, in which order.
struct ReportColumns {
    /// The ids as given, or nil without the flag.
    let order: [String]?

    /// - Throws: `BadInput` naming the flag for an empty list, a repeated id, or an id with no
    ///   stored results among `records`.
    init(flag: String?, records: [StoredRecord]) throws {
        guard let flag else { order = nil; return }
        let ids = flag.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard !ids.isEmpty, !ids.contains(where: \.isEmpty) else {
            throw BadInput("--variants takes comma-separated variant ids, found '\(flag)'")
        }
        let stored = Set(records.map(\.run.variant))
        for (i, id) in ids.enumerated() {
            guard !ids.prefix(i).contains(id) else { throw BadInput("--variants lists '\(id)' twice") }
            guard stored.contains(id) else {
                let known = Variants.named(id) == nil ? "unknown variant" : "no stored results for this variant"
                throw BadInput("--variants '\(id)': \(known) (stored: \(stored.sorted().joined(separator: ", ")))")
            }
        }
        order = ids
    }

    func narrow(_ records: [StoredRecord]) -> [StoredRecord] {
        guard let order else { return records }
        return records.filter { order.contains($0.run.variant) }
    }

    /// ` --variants A,B` for the reproduce line.
    var flagText: String { order.map { " --variants " + $0.joined(separator: ",") } ?? "" }
}

extension ReportCommand {
    /// Renders stored sweep records (records with a `point`): markdown with SVG charts beside
    /// `--out`, or the mmtests layout.
    func renderSweep(_ records: [StoredRecord], experiment: String, workdir: String?,
                     columns: ReportColumns, target: OutputTarget?) throws {
        guard store.format != "text" else {
            throw BadInput("--format text is not available for a sweep; use markdown (charts need --out) or mmtests")
        }
        let first = records[0]
        let runs = records.map(\.run).sorted {
            ($0.point?.index ?? -1, $0.variant, $0.seed) < ($1.point?.index ?? -1, $1.variant, $1.seed)
        }
        let doc = ResultDocument(revision: first.revision, revisionNote: first.revisionNote, tool: first.tool,
                                 experiment: first.experiment, baseline: first.baseline, runs: runs)
        var description = "", machine: [MachineLine] = [], expectations: [ExpectationLine] = []
        var points: [RunPoint] = [], seeds: [UInt64] = [], variantOrder = Variants.all.map(\.id)
        var axes: [String: PageblockAxis] = [:]
        switch Self.storedPoints(first.experiment, workdir: workdir) {
        case .success(let experiments):
            let e = experiments[0]
            description = e.description
            machine = ExperimentReportParts.machine(e)
            axes = ExperimentReportParts.pageblockAxes(experiments.last ?? e)
            points = experiments.compactMap(\.point)
            let stored = Set(runs.map(\.seed))
            seeds = e.seeds.filter { stored.contains($0) }
            variantOrder = e.variants
            expectations = ExperimentReportParts.expectations(RunCommand.evaluatePerPoint(experiments, runs: runs))
        case .failure(let why):
            Console.err("buddylab: note: machine, description, expectations and points without runs left out: \(why.message)\n")
        }
        let prefix = target.map { ReportFiles.prefix(forReport: $0.path) } ?? experiment
        var input = SweepReportInput(
            document: doc, description: description, machineLines: machine, points: points, seeds: seeds,
            expectations: expectations, generatedAt: first.storedAt,
            command: "buddylab report \(experiment)" + (commit.map { " --commit \($0)" } ?? "") + columns.flagText,
            variantOrder: columns.order ?? variantOrder, chartPrefix: prefix)
        input.pageblockAxes = axes
        if store.format == "mmtests" {
            let text = renderSweepMMTests(input)
            if let target { try target.write(text) } else { Console.out(text) }
            return
        }
        let rendered = renderSweepMarkdown(input)
        if let target, case .file = target.destination {
            try ReportFiles.write(rendered, to: target)
        } else {
            if let target { try target.write(rendered.markdown) } else { Console.out(rendered.markdown) }
            Console.err("buddylab: note: the \(rendered.files.count) SVG charts are written beside the report with --out FILE\n")
        }
    }

    /// Every point of the stored experiment file, when it is on disk with the recorded hash.
    static func storedPoints(_ ref: ExperimentRef, workdir: String?) -> Result<[Experiment], BadInput> {
        var candidates = [ref.file]
        if let w = workdir, !ref.file.hasPrefix("/") { candidates.insert(w + "/" + ref.file, at: 0) }
        guard let path = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            return .failure(BadInput("\(ref.file) is not on disk"))
        }
        do {
            let points = try Experiment.loadPoints(contentsOf: path)
            guard points[0].sourceSHA256 == ref.sha256 else {
                return .failure(BadInput("\(ref.file) changed since these results were stored"))
            }
            return .success(points)
        } catch {
            return .failure(BadInput("\(ref.file) no longer decodes: \(error)"))
        }
    }
}
