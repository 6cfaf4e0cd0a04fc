import BuddyResults

/// The report header: provenance, machine geometry, workload hashes and the one-line summary.
///
/// A number pasted into a review is only worth something if the reader can tell which tree,
/// which machine and which request stream produced it, and can rerun it; hence the full commit id,
/// the dirty-diff hash, every workload hash and the reproduce command.
enum ReportHeader {
    /// Issue 12, defect 8: what the tree state above leaves out (GitRepository+ToolOutputs).
    static let toolOutputsRule = "buddylab's own outputs (the report files, the results store, "
        + "--json/--report targets) are not counted as changes (dirty state, diff hash)"

    /// Key/value provenance rows, one fact per row so the table stays narrow.
    static func provenance(_ input: ReportInput, _ model: ReportModel, _ style: RenderStyle) -> Table {
        let doc = input.document
        var table = Table([Table.Column("field"), Table.Column("value")])
        table.append(["experiment", doc.experiment.name])
        table.append(["file", style.code(doc.experiment.file)])
        table.append(["file sha256", style.code(doc.experiment.sha256)])
        if let rev = doc.revision {
            table.append(["commit", style.code(rev.commit)])
            table.append(["describe", rev.describe + (rev.branch.map { " (branch " + $0 + ")" } ?? "")])
            table.append(["tree", treeState(rev, style)])
            table.append(["commit time", rev.commitTime])
            if let summary = rev.summary { table.append(["commit summary", summary]) }
            table.append(["revision note", doc.revisionNote ?? Self.toolOutputsRule])
        } else {
            table.append(["commit", "no revision: " + (doc.revisionNote ?? "not recorded")])
        }
        table.append(["tool", "buddylab " + doc.tool.version + ", Swift " + doc.tool.swift])
        table.append(["generated", input.generatedAt])
        table.append(["baseline", model.baseline])
        table.append(["variants", model.variants.joined(separator: ", ")])
        table.append(["seeds", model.seeds.map(String.init).joined(separator: ", ")])
        table.append(["reproduce", style.code(input.command)])
        return table
    }

    /// "clean", or "**dirty**: diff sha256 `…`" — a dirty tree's numbers are only reproducible
    /// with the same uncommitted diff, which the hash identifies.
    static func treeState(_ rev: RevisionInfo, _ style: RenderStyle) -> String {
        guard rev.dirty else { return "clean" }
        return style.bold("dirty") + ", diff sha256 " + (rev.dirtyDiffSHA256.map(style.code) ?? "not recorded")
    }

    /// The resolved machine geometry.
    static func machine(_ input: ReportInput) -> Table {
        var table = Table([Table.Column("parameter"), Table.Column("value")])
        for line in input.machineLines { table.append([line.name, line.value]) }
        return table
    }

    /// One row per seed: the workload hash and whether every variant ran that exact stream.
    static func workloads(_ model: ReportModel, _ style: RenderStyle) -> Table {
        var table = Table([Table.Column("seed", .right), Table.Column("workload sha256"),
                           Table.Column("shared by all variants")])
        for seed in model.seeds {
            let runs = model.simulatedVariants.compactMap { model.run($0, seed) }
            let hashes = runs.map(\.workloadSHA256)
            let missing = model.simulatedVariants.filter { model.run($0, seed) == nil }
            var verdict: String
            if let first = hashes.first, hashes.allSatisfy({ $0 == first }) {
                verdict = style.pass + " yes (\(runs.count) variants)"
            } else {
                let odd = runs.filter { $0.workloadSHA256 != hashes.first }
                    .map { $0.variant + " " + style.code(String($0.workloadSHA256.prefix(12))) }
                verdict = style.fail + " NO: " + odd.joined(separator: ", ")
            }
            if !missing.isEmpty { verdict += "; no run for " + missing.joined(separator: ", ") }
            table.append([String(seed), style.code(hashes.first ?? "–"), verdict])
        }
        return table
    }

    /// Whether every seed's request stream was identical across variants (the comparison is
    /// meaningless otherwise).
    static func workloadsShared(_ model: ReportModel) -> Bool {
        model.seeds.allSatisfy { seed in
            let hashes = model.simulatedVariants.compactMap { model.run($0, seed)?.workloadSHA256 }
            return hashes.allSatisfy { $0 == hashes.first }
        }
    }

    /// "expectations 2/3 passed (1 failed) · faults 23 · invariant violations 0".
    static func summary(_ input: ReportInput, _ model: ReportModel, _ style: RenderStyle) -> String {
        let passed = input.expectations.filter(\.passed).count
        let failed = input.expectations.count - passed
        let violations = model.variants.reduce(0) { sum, v in
            sum + model.runs(of: v).reduce(0) { $0 + ($1.metrics["invariant_violations"] ?? 0) }
        }
        let faults = FaultsSection.total(model)
        let expectations = input.expectations.isEmpty
            ? "no expectations"
            : (failed == 0 ? style.pass : style.fail) + " expectations \(passed)/\(input.expectations.count) passed"
                + (failed > 0 ? " (\(failed) failed)" : "")
        let sep = style == .markdown ? " · " : " | "
        var parts = [expectations, "faults \(faults)",
                     (violations > 0 ? style.fail + " " : "") + "invariant violations \(violations)"]
        if !workloadsShared(model) { parts.append(style.fail + " variants ran different workloads") }
        return parts.joined(separator: sep)
    }
}
