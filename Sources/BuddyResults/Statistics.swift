/// Statistics over seeds: per-sample summaries and Welch's unequal-variance t-test.
///
/// The simulator is deterministic for a given (experiment, variant, seed), so the only noise a
/// report has to account for is the variation *between seeds* (different request streams). Reports
/// use these helpers to say whether a difference between two variants is larger than that noise.
///
/// Pure arithmetic: only the C math library (`lgamma`, `log`, `exp`), no Foundation, no state.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#elseif canImport(ucrt)
import ucrt
#endif

// MARK: - Sample summary

/// Mean, spread and a 95% confidence interval of one metric over seeds.
public struct SampleSummary: Sendable, Equatable {
    /// Number of samples (seeds).
    public let n: Int
    public let mean: Double
    /// Sample standard deviation (Bessel-corrected, divides by n − 1); 0 when n == 1.
    public let stddev: Double
    public let min: Double
    public let max: Double
    /// Half width of the two-sided 95% confidence interval of the mean, `t(0.975, n−1) · s / √n`;
    /// nil when n == 1 (no spread can be estimated from one sample).
    public let ci95HalfWidth: Double?

    /// Summarises `values`; nil when `values` is empty.
    ///
    /// The mean and the variance use two passes (mean first, then squared deviations) so that
    /// large page counts with small differences do not lose precision.
    public init?(_ values: [Double]) {
        guard let first = values.first else { return nil }
        let n = values.count
        var sum = 0.0
        var lo = first
        var hi = first
        for v in values {
            sum += v
            lo = Swift.min(lo, v)
            hi = Swift.max(hi, v)
        }
        let mean = sum / Double(n)
        var squares = 0.0
        for v in values { squares += (v - mean) * (v - mean) }
        let sd = n > 1 ? (squares / Double(n - 1)).squareRoot() : 0
        self.n = n
        self.mean = mean
        self.stddev = sd
        self.min = lo
        self.max = hi
        self.ci95HalfWidth = n > 1
            ? studentTCritical95(degreesOfFreedom: n - 1) * sd / Double(n).squareRoot()
            : nil
    }

    /// Sample variance, `stddev²`.
    public var variance: Double { stddev * stddev }
}

/// Two-sided 95% critical values of Student's t for 1…30 degrees of freedom (t₀.₉₇₅,ν),
/// rounded to three decimals as in printed tables.
private let tCritical95Table: [Double] = [
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
]

/// The critical value used for 95% confidence intervals.
///
/// Table values for 1…30 degrees of freedom; beyond 30 the normal value 1.96 (which understates
/// the interval by at most 4% at ν = 31 — reports rarely run that many seeds).
/// - Parameter degreesOfFreedom: n − 1; values below 1 are treated as 1.
public func studentTCritical95(degreesOfFreedom: Int) -> Double {
    let df = max(1, degreesOfFreedom)
    return df <= tCritical95Table.count ? tCritical95Table[df - 1] : 1.96
}

// MARK: - Welch's t-test

/// The result of a Welch test that could be computed (both sides have ≥ 2 samples and at least
/// one side has a non-zero variance).
public struct WelchResult: Sendable, Equatable {
    /// Significance level of `significant`.
    public static let alpha = 0.05
    /// `(mean(a) − mean(b)) / √(s²a/na + s²b/nb)`: negative when `a` is smaller.
    public let t: Double
    /// Welch–Satterthwaite degrees of freedom (not an integer in general).
    public let df: Double
    /// Two-sided p-value, `I_{ν/(ν+t²)}(ν/2, 1/2)`.
    public let p: Double
    /// `p < alpha`: the means differ by more than the seed-to-seed noise explains.
    public let significant: Bool
}

/// Why a Welch test was not computed.
public enum WelchSkipReason: Sendable, Equatable {
    /// One side has fewer than two samples: no variance can be estimated.
    case tooFewSeeds
    /// Every sample on each side is the same value, so the standard error is zero and t is
    /// undefined. Because the simulator is deterministic, this is the common case for metrics
    /// that do not depend on the seed: the difference, if any, is *exact*, not a statistical one.
    case noVariance(meansDiffer: Bool)
}

/// The outcome of comparing two samples: a computed test or the reason there is none.
public enum WelchOutcome: Sendable, Equatable {
    case tested(WelchResult)
    case skipped(WelchSkipReason)

    /// The computed test, if any.
    public var result: WelchResult? {
        if case .tested(let r) = self { return r }
        return nil
    }

    /// Whether a report should flag the difference as real.
    ///
    /// Decision: a difference with zero variance on both sides counts as significant. With a
    /// deterministic simulator every seed reproduced the same difference, so it is not noise; such
    /// differences are still reported distinctly through `isExactDifference` ("exact (no
    /// variance)") so that nobody reads a p-value into them. Too few seeds is never significant.
    public var isSignificant: Bool {
        switch self {
        case .tested(let r): return r.significant
        case .skipped(.noVariance(let differ)): return differ
        case .skipped(.tooFewSeeds): return false
        }
    }

    /// Both sides are constant over seeds and their values differ.
    public var isExactDifference: Bool { self == .skipped(.noVariance(meansDiffer: true)) }
}

/// Welch's unequal-variance t-test of `a` against `b`, with the reason when it cannot be computed.
///
/// Welch rather than Student because two allocator designs have no reason to share a variance.
/// - Returns: `.tested` with t, df, p and significance at `WelchResult.alpha`, or `.skipped`.
public func welchOutcome(a: [Double], b: [Double]) -> WelchOutcome {
    guard a.count >= 2, b.count >= 2,
          let sa = SampleSummary(a), let sb = SampleSummary(b) else {
        return .skipped(.tooFewSeeds)
    }
    let va = sa.variance / Double(sa.n)
    let vb = sb.variance / Double(sb.n)
    let se2 = va + vb
    guard se2 > 0 else { return .skipped(.noVariance(meansDiffer: sa.mean != sb.mean)) }
    let t = (sa.mean - sb.mean) / se2.squareRoot()
    let dfDenominator = va * va / Double(sa.n - 1) + vb * vb / Double(sb.n - 1)
    let df = se2 * se2 / dfDenominator
    let p = twoSidedStudentTPValue(t: t, df: df)
    return .tested(WelchResult(t: t, df: df, p: p, significant: p < WelchResult.alpha))
}

/// Welch's t-test; nil when it cannot be computed (see `welchOutcome(a:b:)` for the reason).
public func welchTTest(a: [Double], b: [Double]) -> WelchResult? {
    welchOutcome(a: a, b: b).result
}

/// Two-sided tail probability of Student's t distribution, `P(|T| ≥ |t|)` with `df` (real)
/// degrees of freedom, through the regularized incomplete beta function.
public func twoSidedStudentTPValue(t: Double, df: Double) -> Double {
    guard t.isFinite else { return t.isNaN ? .nan : 0 }
    guard df > 0 else { return .nan }
    if t == 0 { return 1 }
    let x = df / (df + t * t)
    return min(1, max(0, regularizedIncompleteBeta(x: x, a: df / 2, b: 0.5)))
}

// MARK: - Regularized incomplete beta

/// `I_x(a, b)`, the regularized incomplete beta function, for a, b > 0 and 0 ≤ x ≤ 1.
///
/// Evaluated with the continued fraction of Numerical Recipes §6.4 (modified Lentz), using the
/// symmetry `I_x(a,b) = 1 − I_{1−x}(b,a)` so the fraction is always evaluated where it converges
/// quickly (x < (a+1)/(a+b+2)).
public func regularizedIncompleteBeta(x: Double, a: Double, b: Double) -> Double {
    guard a > 0, b > 0, !x.isNaN else { return .nan }
    if x <= 0 { return 0 }
    if x >= 1 { return 1 }
    let logFront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log(1 - x)
    let front = exp(logFront)
    if x < (a + 1) / (a + b + 2) {
        return front * betaContinuedFraction(x: x, a: a, b: b) / a
    }
    return 1 - front * betaContinuedFraction(x: 1 - x, a: b, b: a) / b
}

/// The continued fraction of `I_x(a, b)` (NR `betacf`), evaluated by the modified Lentz method.
private func betaContinuedFraction(x: Double, a: Double, b: Double) -> Double {
    let maxIterations = 500
    let epsilon = 1e-15
    let tiny = 1e-300
    let qab = a + b
    let qap = a + 1
    let qam = a - 1
    var c = 1.0
    var d = 1 - qab * x / qap
    if abs(d) < tiny { d = tiny }
    d = 1 / d
    var h = d
    for m in 1...maxIterations {
        let m = Double(m)
        let m2 = 2 * m
        // Even step.
        var aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1 + aa * d
        if abs(d) < tiny { d = tiny }
        c = 1 + aa / c
        if abs(c) < tiny { c = tiny }
        d = 1 / d
        h *= d * c
        // Odd step.
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1 + aa * d
        if abs(d) < tiny { d = tiny }
        c = 1 + aa / c
        if abs(c) < tiny { c = tiny }
        d = 1 / d
        let delta = d * c
        h *= delta
        if abs(delta - 1) < epsilon { break }
    }
    return h
}
