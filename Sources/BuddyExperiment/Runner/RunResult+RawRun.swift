import BuddyCore
import BuddyResults

extension RunResult {
    /// Maps the engine's `RawRun` onto the contract's result record.
    ///
    /// Everything deterministic goes into `metrics`, `ops`, `faults` and `extras`; wall-clock
    /// figures go under `timing` only, the one part allowed to differ between identical runs.
    /// How many pinned-replay divergences a record keeps (the metric counts every one; a replay of
    /// a real trace can diverge thousands of times and the first ones explain the rest).
    static let divergencesKept = 20

    init(variant: String, seed: UInt64, workloadSHA256: String, raw: RawRun, wallSeconds: Double) {
        let ops = raw.ops.map { op in
            OpOutcome(index: op.index, op: op.op, result: op.result.rawValue, detail: op.detail.isEmpty ? nil : op.detail)
        }
        let faults = raw.faults.map { FaultRecord(event: $0.event, kind: $0.kind, detail: $0.detail) }
        var maps: [String: String] = [:]
        for entry in raw.pageblockMap { maps[entry.zone] = entry.map }
        var free: [String: String] = [:]
        for entry in raw.pageblockFree { free[entry.zone] = entry.shares }
        let extras = RunExtras(series: raw.series, pageblockMap: maps,
                               buddyinfo: raw.buddyinfo.isEmpty ? nil : raw.buddyinfo,
                               pagetypeinfo: raw.pagetypeinfo.isEmpty ? nil : raw.pagetypeinfo,
                               pageblockFree: free.isEmpty ? nil : free,
                               pinnedDivergences: raw.divergences.isEmpty ? nil : raw.divergences.prefix(Self.divergencesKept)
                                   .map { FaultRecord(event: $0.event, kind: $0.kind, detail: $0.detail) })
        let events = raw.metrics["events"] ?? 0
        let timing = ["wall_seconds": wallSeconds,
                      "events_per_second": wallSeconds > 0 ? Double(events) / wallSeconds : 0]
        self.init(variant: variant, seed: seed, workloadSHA256: workloadSHA256, metrics: raw.metrics,
                  ops: ops, faults: faults, extras: extras, timing: timing,
                  series: raw.timeSeries.isEmpty ? nil : raw.timeSeries)
    }
}
