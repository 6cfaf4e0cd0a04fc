import BuddyCore

/// The real-kernel column's numbers, computed from the kernel's own log (PROTOCOL.md "Log"):
/// the result of every command the driver ran and the state snapshot (taken under
/// `zone->lock`) after the last one.
///
/// Only metrics the log determines are computed; the others (`events`, `pages_migrated`,
/// `nr_free_pages_min`, `mixed_pageblocks`, `watermark_misjudgements`, `faults`, …) are
/// absent, and the report shows them as "–" (not measured on a real kernel), never as 0.
/// State metrics are over the kernel's whole zone (with the booted kernel's own
/// allocations), not the experiment's machine.
public struct KernelRunMetrics: Sendable, Equatable {
    /// One op's outcome on the kernel.
    public struct Op: Sendable, Equatable {
        public var index: Int
        public var op: String
        /// The driver's status: ok, enomem, ebusy, einval, fail, or errno=N (verbatim).
        public var result: String
        public var detail: String?
    }

    public var metrics: [String: Int]
    public var ops: [Op]

    /// Every metric name this type can produce (the rest are "not measured on a real kernel").
    public static let measured = [
        "allocs", "alloc_failures", "frees", "contig_attempts", "contig_successes", "contig_ebusy",
        "contig_failures", "nr_free_pages", "free_pages_allocatable", "isolated_free_pages", "nr_free_pages_drift",
        "nr_free_blocks_drift", "largest_free_order", "unusable_free_index",
    ]
    /// Added when the batch took memory blocks offline or online (x86_64 pc): as the
    /// simulation's tally counts them (`offline_ok`, `offline_failed`, `online_ok`).
    public static let measuredHotplug = ["offline_ok", "offline_failed", "online_ok"]

    /// - Parameters:
    ///   - log: the batch's parsed log; `log.steps[i]` answers `commands[i]`.
    ///   - commands: the batch as planned (`KernelRunPlan.commands`).
    ///   - skippedFrees: ops answered `ok` without a command (a free of a failed allocation).
    ///   - keywords: op index → keyword.
    /// - Throws: when the log has fewer results than commands (a truncated batch).
    public init(log: OracleLog, commands: [KernelRunPlan.PlannedCommand], skippedFrees: [Int],
                keywords: (Int) -> String) throws(OracleLogError) {
        guard log.steps.count == commands.count else {
            throw OracleLogError(file: "kernel-\(log.kernel).log", line: 0,
                                 message: "the log answers \(log.steps.count) of \(commands.count) commands")
        }
        var m: [String: Int] = [:]
        for name in ["allocs", "alloc_failures", "frees", "contig_attempts", "contig_successes", "contig_ebusy"] { m[name] = 0 }
        var ops: [Op] = []
        for (planned, step) in zip(commands, log.steps) {
            guard planned.resultOf != nil || planned.generated else { continue }
            let status = step.result.status
            switch planned.command {
            case .alloc: m[status == "ok" ? "allocs" : "alloc_failures", default: 0] += 1
            case .free: if status == "ok" { m["frees", default: 0] += 1 }
            case .contig:
                m["contig_attempts", default: 0] += 1
                if status == "ok" { m["contig_successes", default: 0] += 1 }
                if status == "ebusy" { m["contig_ebusy", default: 0] += 1 }
            case .offline:
                m[status == "ok" ? "offline_ok" : "offline_failed", default: 0] += 1
                for name in Self.measuredHotplug { m[name, default: 0] += 0 }
            case .online:
                if status == "ok" { m["online_ok", default: 0] += 1 }
                for name in Self.measuredHotplug { m[name, default: 0] += 0 }
            default: break
            }
            guard let index = planned.resultOf else { continue }
            ops.append(Op(index: index, op: keywords(index), result: status,
                          detail: "kernel: \(planned.command.text) → \(step.result)"))
        }
        for index in skippedFrees {
            ops.append(Op(index: index, op: "free", result: "ok", detail: "request had failed: no-op (no command sent)"))
        }
        ops.sort { $0.index < $1.index }
        m["contig_failures"] = (m["contig_attempts"] ?? 0) - (m["contig_successes"] ?? 0)
        // Every zone of the log (one on User-Mode Linux; DMA, DMA32, Normal… on x86_64).
        let final = log.steps.last?.state.zones ?? log.initial.zones
        m.merge(Self.stateMetrics(final, geometry: log.geometry)) { $1 }
        self.metrics = m
        self.ops = ops
    }

    /// Metrics of one snapshot: `NR_FREE_PAGES`, the pages on the free lists (truth) and the
    /// counters' drift from them, the largest free order, Mel Gorman's unusable free space
    /// index at pageblock order (×1000) — the definitions `Machine+Stats.swift` uses.
    public static func stateMetrics(_ s: ZoneSnapshot, geometry g: Geometry) -> [String: Int] {
        stateMetrics([s], geometry: g)
    }

    /// The same over several zones: pages summed, the largest order over all of them.
    public static func stateMetrics(_ zones: [ZoneSnapshot], geometry g: Geometry) -> [String: Int] {
        let isolate = Int(MigrateType.isolate.rawValue)
        var allocatable = 0, isolated = 0, largest = -1, usable = 0, counted = 0, nrFreePages = 0
        for s in zones {
            for (order, lists) in s.freeLists.enumerated() {
                for (mt, heads) in lists.enumerated() {
                    let pages = heads.count << order
                    if mt == isolate { isolated += pages; continue }
                    allocatable += pages
                    if order >= g.pageblockOrder { usable += pages }
                    if !heads.isEmpty { largest = max(largest, order) }
                }
            }
            // free_area[o].nr_free counts blocks on every list of the order, ISOLATE included.
            counted += s.nrFree.enumerated().reduce(0) { $0 + ($1.element << $1.offset) }
            nrFreePages += s.nrFreePages
        }
        return [
            "nr_free_pages": nrFreePages,
            "free_pages_allocatable": allocatable,
            "isolated_free_pages": isolated,
            "nr_free_pages_drift": nrFreePages - allocatable,
            "nr_free_blocks_drift": counted - (allocatable + isolated),
            "largest_free_order": largest,
            "unusable_free_index": allocatable == 0 ? 0 : (allocatable - usable) * 1000 / allocatable,
        ]
    }
}
