/// SplitMix64 (Steele, Lea, Flood 2014): the workload's only source of randomness.
///
/// Tiny, fast, and fully specified, so a seed names the same request stream on every platform
/// and Swift version — unlike `SystemRandomNumberGenerator` (not seedable) or the standard
/// library's `random(in:using:)` (its algorithm is not a stable contract).
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// Mixed into every seed so that seed 0 does not start from an all-zero state and buddylab's
    /// streams differ from other tools that seed SplitMix64 with the same small integers.
    /// ASCII "buddylab".
    public static let seedMix: UInt64 = 0x6275_6464_796C_6162

    private var state: UInt64

    public init(seed: UInt64) {
        state = seed ^ Self.seedMix
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z &>> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z &>> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z &>> 31)
    }

    /// A value in `0..<bound` (0 when `bound` is 0), by Lemire's multiply-high reduction.
    /// The bias is below 2⁻³² for every bound used here and, unlike rejection sampling, each
    /// draw consumes exactly one output.
    public mutating func below(_ bound: UInt64) -> UInt64 {
        guard bound > 0 else { return 0 }
        return bound.multipliedFullWidth(by: next()).high
    }
}
