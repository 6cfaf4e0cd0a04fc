import BuddyCore

/// Adds a workload's variant-independent metrics (a trace's tallies) and, for trace workloads,
/// the number of pfn divergences to a run's metrics.
enum TraceMetrics {
    static func merged(_ raw: RawRun, _ workload: GeneratedWorkload) -> RawRun {
        guard !workload.workloadMetrics.isEmpty else { return raw }
        var out = raw
        for (key, value) in workload.workloadMetrics { out.metrics[key] = value }
        // Divergences of a pfn-pinned replay are kept apart from `faults` (RawRun.divergences).
        out.metrics["trace_pfn_divergences"] = raw.divergences.count
        return out
    }
}
