import BuddyResults

/// mmtests' comparison arithmetic (gormanm/mmtests `bin/lib/MMTests/Stat.pm`, `pdiff`/`pndiff`,
/// and `Summarise.pm`'s `getStatCompareFunc`), so a buddylab table reads like a compare-kernels
/// table: the change of a statistic against the baseline in percent, **positive = better**
/// whichever way the metric points.
enum MMTestsDiff {
    /// `pdiff(new, base)`, for statistics where higher is better: `new·100/base − 100`.
    ///
    /// Zero-baseline rule as in mmtests: equal values → 0; a baseline of 0 with a non-zero new
    /// value → +100. One deliberate deviation: mmtests also returns 0 when `new` is 0, because in
    /// its tables 0 stands for "no data"; here a missing run is absent, not 0, so a metric that
    /// falls to 0 (every contig attempt failing) prints −100.00%, never an unchanged-looking 0.00%.
    static func pdiff(_ new: Double, _ base: Double) -> Double {
        if new == base { return 0 }
        if base == 0 { return 100 }
        return new * 100 / base - 100
    }

    /// `pndiff(new, base)`, for statistics where lower is better: `100 − new·100/base`, so halving
    /// a failure count prints +50.00% and doubling it −100.00%. mmtests' zero rules: equal → 0;
    /// `new` 0 → +100; baseline 0 with a non-zero `new` → −99.
    static func pndiff(_ new: Double, _ base: Double) -> Double {
        if new == base { return 0 }
        if new == 0 { return 100 }
        if base == 0 { return -99 }
        return 100 - new * 100 / base
    }
}

/// The rows mmtests prints for a multi-iteration benchmark (`setSummaryMultiops`: min, mean,
/// stddev, coeffvar, max), in that order. mmtests names the mean `Hmean` for higher-is-better
/// data; buddylab's counters are often 0, where a harmonic mean is undefined, so every mean here
/// is the arithmetic one and is called `Amean`.
enum MMTestsStat: CaseIterable {
    case min, amean, stddev, coeffvar, max

    var name: String {
        switch self {
        case .min: return "Min"
        case .amean: return "Amean"
        case .stddev: return "Stddev"
        case .coeffvar: return "CoeffVar"
        case .max: return "Max"
        }
    }

    /// The statistic of one variant's samples. Drifts (`→0` metrics) are signed; their location
    /// statistics stay signed, their CoeffVar is relative to |mean| so it is never negative.
    func value(_ s: SampleSummary) -> Double {
        switch self {
        case .min: return s.min
        case .amean: return s.mean
        case .stddev: return s.stddev
        case .coeffvar: return MMTestsStat.coeffVar(s)
        case .max: return s.max
        }
    }

    /// mmtests' `calc_coeffvar`: `stddev·100/mean`, 0 when the mean is 0.
    static func coeffVar(_ s: SampleSummary) -> Double {
        s.mean == 0 ? 0 : s.stddev * 100 / abs(s.mean)
    }

    /// The change of `new` against `base`, positive = better. Spread statistics always use
    /// `pndiff` (less spread is better, as mmtests' `stat_compare` says for stddev and coeffvar);
    /// location statistics follow the metric: `pdiff` for ↑, `pndiff` for ↓, and `pndiff` on the
    /// magnitude for →0 (a drift of −512 is as wrong as +512; mmtests has no such metric).
    func change(_ new: Double, _ base: Double, _ polarity: Polarity) -> Double {
        switch (self, polarity) {
        case (.stddev, _), (.coeffvar, _): return MMTestsDiff.pndiff(new, base)
        case (_, .higherIsBetter): return MMTestsDiff.pdiff(new, base)
        case (_, .zeroIsBetter): return MMTestsDiff.pndiff(abs(new), abs(base))
        case (_, .lowerIsBetter), (_, .neutral): return MMTestsDiff.pndiff(new, base)
        }
    }
}
