/// Which counters a design lets drift from its free lists, declared per variant.
///
/// The invariant checker knows the truth behind NR_FREE_PAGES (pages on non-ISOLATE free lists of
/// online memory) and NR_FREE_CMA_PAGES (pages on the CMA lists). A design that is *about* the
/// counter going wrong (designs A–E of the 2012 isolated-free debate) declares that counter here,
/// and its drift is reported as a metric. Any other drift is the simulator miscounting — an
/// import that counted a block twice, a path that forgot `__mod_zone_freepage_state` — and the
/// run reports it as an invariant violation (`Simulation.check`).
public struct DriftingCounters: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// NR_FREE_PAGES against the pages on non-ISOLATE free lists.
    public static let nrFreePages = DriftingCounters(rawValue: 1)
    /// NR_FREE_CMA_PAGES against the pages on CMA free lists.
    public static let nrFreeCMAPages = DriftingCounters(rawValue: 2)

    /// The names `buddylab variants` prints (the metric each one moves).
    public var names: [String] {
        (contains(.nrFreePages) ? ["NR_FREE_PAGES"] : []) + (contains(.nrFreeCMAPages) ? ["NR_FREE_CMA_PAGES"] : [])
    }
}

extension StrategySet {
    /// The variant's declaration. From v6.10 (`FreeListAccounting.inListPrimitives`) the list
    /// primitives keep both counters (`account_freepages()`), so no design on top of them may
    /// drift; before, the accounting design (axis 2), the alignment design (axis 1: v11 as
    /// posted) and the merge rule (axis 3: merging across ISOLATE before v4.6) say.
    public static var declaredDrift: DriftingCounters {
        FreeLists.inListPrimitives ? []
            : Accounting.declaredDrift.union(Alignment.declaredDrift).union(Merge.declaredDrift)
    }
}

extension Machine {
    /// Drift of the counters the checker knows, one line per zone and counter where it is not
    /// zero and `allowed` (by default `S.declaredDrift`) does not allow it. Right after an import
    /// nothing may drift (`allowed: []`): the state is an input, no design has acted on it yet.
    public func undeclaredDrift(allowed: DriftingCounters = S.declaredDrift) -> [String] {
        var out: [String] = []
        for z in 0..<zoneCount {
            if !allowed.contains(.nrFreePages) {
                let d = zone[z].nrFreePages - zone[z].allocatableFree
                if d != 0 { out.append("zone \(z): NR_FREE_PAGES \(zone[z].nrFreePages) ≠ \(zone[z].allocatableFree) free on the lists (drift \(d), undeclared)") }
            }
            if !allowed.contains(.nrFreeCMAPages) {
                let truth = truthFreeCMA(zone: z)
                let d = zone[z].nrFreeCMAPages - truth
                if d != 0 { out.append("zone \(z): NR_FREE_CMA_PAGES \(zone[z].nrFreeCMAPages) ≠ \(truth) on the CMA lists (drift \(d), undeclared)") }
            }
        }
        return out
    }
}
