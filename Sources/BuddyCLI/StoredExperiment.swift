import BuddyExperiment
import BuddyReport
import BuddyResults
import BuddyVariants
import Foundation

/// The experiment file a stored record was produced from, when it is still on disk unchanged.
///
/// Records keep the experiment's name, path and sha256 but not its text. `report` re-reads the
/// file so a re-rendered report carries the same description, machine table, expectations and
/// op labels as the one `run` wrote — but only when the bytes hash to the recorded sha256: a
/// file edited since would describe a machine the stored numbers did not come from.
enum StoredExperiment {
    enum Lookup {
        case found(Experiment)
        /// Why the file's parts are left out of the report (missing, edited, unreadable).
        case unavailable(String)
    }

    static func find(_ ref: ExperimentRef, workdir: String?) -> Lookup {
        var candidates = [ref.file]
        if let w = workdir, !ref.file.hasPrefix("/") { candidates.insert(w + "/" + ref.file, at: 0) }
        guard let path = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            return .unavailable("\(ref.file) is not on disk")
        }
        let experiment: Experiment
        do { experiment = try Experiment.load(contentsOf: path) } catch {
            return .unavailable("\(ref.file) no longer decodes: \(error)")
        }
        guard experiment.sourceSHA256 == ref.sha256 else {
            return .unavailable("\(ref.file) changed since these results were stored "
                                + "(sha256 \(experiment.sourceSHA256.prefix(12)), recorded \(ref.sha256.prefix(12)))")
        }
        return .found(experiment)
    }
}

/// The report rows that come from the experiment file rather than from the records, shared by
/// `run` (fresh results) and `report` (stored ones).
enum ExperimentReportParts {
    static func machine(_ e: Experiment) -> [MachineLine] {
        MachineDescription.lines(for: e).map { MachineLine($0.name, $0.value) }
    }

    /// One line per simulated variant: what it models and which running kernel checked it.
    static func variants(_ ids: [String]) -> [MachineLine] {
        var seen: Set<String> = []
        return ids.compactMap { id in
            guard Variants.named(id) != nil, seen.insert(id).inserted else { return nil }
            return MachineLine(id, Variants.model(id).models + "; " + Variants.model(id).checked)
        }
    }

    /// Zone → where its pageblocks sit, for the heatmap's pfn axis and memory-block lines.
    static func pageblockAxes(_ e: Experiment) -> [String: PageblockAxis] {
        let layout = e.machine.layout
        var axes: [String: PageblockAxis] = [:]
        for (i, zone) in layout.zones.enumerated() {
            axes[zone.name] = PageblockAxis(zoneStartPfn: layout.zoneStart(i), pagesPerBlock: layout.geometry.pageblockPages,
                                            ramStartPfn: layout.ramStartPfn, memoryBlockPages: layout.memoryBlockPages)
        }
        return axes
    }

    static func expectations(_ outcomes: [ExpectationOutcome]) -> [ExpectationLine] {
        outcomes.map { ExpectationLine(text: $0.text, passed: $0.passed, detail: $0.detail) }
    }
}
