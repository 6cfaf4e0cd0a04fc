import BuddyResults

/// Divergences of a pfn-pinned trace replay (`trace: { mode: pfn }`), kept apart from faults.
///
/// A divergence is a traced kernel allocation whose pfn this variant held elsewhere at that moment
/// (in use, on a per-cpu list, on an ISOLATE list, offline): the variant's state has moved away
/// from the traced kernel's, not done anything the kernel would crash on. Shown only when a run
/// has any (the metric `trace_pfn_divergences` counts them; records keep the first few).
enum PinnedDivergenceSection {
    static let explanation = "In `mode: pfn` every allocation is pinned at the pfn the traced kernel returned. "
        + "A divergence is one this variant could not have returned at that moment (it held the pfn "
        + "elsewhere). It measures how far the variant's free lists have moved from the traced kernel's, "
        + "not a defect: the replay goes on from a state that already differs, so later counts compound, "
        + "and a variant with per-cpu lists diverges wherever its pcp lists hold pages the kernel's did not. "
        + "Compare the counts as distance from the traced kernel, not as faults."

    static func markdown(_ model: ReportModel) -> String {
        var table = Table([Table.Column("variant"), Table.Column("seed", .right), Table.Column("divergences", .right),
                           Table.Column("first (event: detail)")])
        for variant in model.variants {
            for run in model.runs(of: variant) {
                guard let n = run.metrics["trace_pfn_divergences"], n > 0 else { continue }
                let first = run.extras?.pinnedDivergences?.first.map { "\($0.event): \($0.detail)" } ?? ""
                table.append([variant, String(run.seed), String(n), first])
            }
        }
        guard !table.isEmpty else { return "" }
        return "## Pinned-replay divergences\n\n" + explanation + "\n\n" + table.markdown() + "\n"
    }
}
