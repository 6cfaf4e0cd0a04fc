import BuddyExperiment
import Foundation

/// The files one `buddylab run` writes besides the store, prepared before the first task starts
/// (`OutputTarget.prepare`: resolved, probed, checked against the inputs and each other).
struct RunOutputs {
    let json: OutputTarget?
    /// Report target per experiment name.
    let reports: [String: OutputTarget]

    /// - Parameters:
    ///   - report: `--report`, or nil for the default `reports/NAME.md` of each experiment.
    ///   - inputs: the experiment files as given (an output may not be one of them).
    init(json: String?, report: String?, experiments: [Experiment], inputs: [String]) throws {
        self.json = try json.map { try OutputTarget.prepare($0, flag: "--json", inputs: inputs) }
        var reports: [String: OutputTarget] = [:]
        for e in experiments where reports[e.name] == nil {
            let path = report ?? Self.defaultReportPath(e)
            reports[e.name] = try OutputTarget.prepare(path, flag: report == nil ? "report path" : "--report",
                                                       inputs: inputs)
        }
        self.reports = reports
        // One report per experiment name (two files with one name: share it, as before).
        try OutputTarget.checkDistinct([self.json].compactMap { $0 } + reports.values.sorted { $0.path < $1.path })
    }

    static func defaultReportPath(_ e: Experiment) -> String { ToolOutputPaths.defaultReportDirectory + e.name + ".md" }

    /// What these outputs add to the paths left out of the dirty state: the report directory
    /// when reports go to their default place, and every file written by path.
    var toolOutputs: [String] {
        var paths: [String] = []
        let targets = [json].compactMap { $0 } + reports.values.sorted { $0.path < $1.path }
        for target in targets {
            guard case .file(let resolved) = target.destination else { continue }
            paths.append(target.flag == "report path" ? OutputTarget.parent(of: resolved) + "/" : resolved)
        }
        return paths
    }

    func report(for e: Experiment) -> OutputTarget? { reports[e.name] }

    /// True when a document goes to stdout: the summary then goes to stderr, so stdout carries
    /// only the document (`--json - | jq .`).
    var usesStandardOutput: Bool {
        json?.isStandardOutput == true || reports.values.contains { $0.isStandardOutput }
    }

    /// Prints the command's own summary text to stdout, or to stderr when stdout is taken.
    func say(_ text: String) {
        if usesStandardOutput { Console.err(text) } else { Console.out(text) }
    }
}
