import BuddyCore

/// Seeded lifetime draws that give the same integers on every machine: `ln` and `exp` are
/// written with +, −, ×, ÷ only (IEEE 754 rounds each of those exactly the same everywhere),
/// not with the platform's libm, whose last-bit results may differ between C libraries.
enum LifetimeSampling {
    /// Longest lifetime drawn (steps): beyond any workload's length, so "practically never".
    static let cap = 1 << 40

    /// One lifetime in steps (≥ 1), or nil for `untilPressure`. Consumes exactly one RNG output
    /// whatever the distribution, so changing one class's lifetime does not shift the stream
    /// of the other decisions.
    static func draw(_ l: Lifetime, _ rng: inout SplitMix64) -> Int? {
        let bits = rng.next()
        switch l {
        case .fixed(let n): return n
        case .untilPressure: return nil
        case .exponential(let mean):
            return clamp(-Double(mean) * ln(uniform(bits)))
        case let .pareto(scale, shape):
            return clamp(Double(scale) * exp(-ln(uniform(bits)) / shape))
        }
    }

    /// (0, 1) from the top 53 bits.
    static func uniform(_ bits: UInt64) -> Double {
        (Double(bits >> 11) + 0.5) / 9_007_199_254_740_992.0
    }

    static func clamp(_ x: Double) -> Int {
        guard x.isFinite, x < Double(cap) else { return cap }
        return max(1, Int(x.rounded(.up)))
    }

    static let ln2 = 0.693_147_180_559_945_3

    /// Natural logarithm of x > 0: x = m·2^e with m in [1, 2) (exact), ln m = 2·atanh(s) with
    /// s = (m−1)/(m+1) ≤ 1/3, summed until the terms vanish.
    static func ln(_ x: Double) -> Double {
        let e = Double(Int(x.exponent))
        let m = x.significand
        let s = (m - 1) / (m + 1)
        let s2 = s * s
        var term = s, sum = 0.0, k = 1.0
        while true {
            let next = sum + term / k
            if next == sum { break }
            sum = next
            term *= s2
            k += 2
        }
        return 2 * sum + e * ln2
    }

    /// e^y: y = k·ln2 + r with |r| ≤ ln2/2, e^r by its Taylor series, then scaled by 2^k (exact).
    static func exp(_ y: Double) -> Double {
        guard y < 700 else { return .infinity }
        guard y > -700 else { return 0 }
        let k = (y / ln2).rounded()
        let r = y - k * ln2
        var term = 1.0, sum = 1.0, n = 1.0
        while true {
            term = term * r / n
            let next = sum + term
            if next == sum { break }
            sum = next
            n += 1
        }
        return sum * Double(sign: .plus, exponent: Int(k), significand: 1)
    }
}
