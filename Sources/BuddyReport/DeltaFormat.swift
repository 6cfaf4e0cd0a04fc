/// mmtests-style deltas against the baseline column.
///
/// mmtests' compare-kernels prints every non-baseline cell as `value (delta%)` with the percentage
/// right-aligned in a fixed-width field, which kernel developers read at a glance in mail. We keep
/// that shape: `512 ( -50.00%)`. The sign is always explicit for non-zero deltas so that a missing
/// minus can never be mistaken for an improvement.
enum DeltaFormat {
    /// Width of the number inside the parentheses (mmtests uses 7: ` -50.00`).
    static let width = 7

    /// `(` + signed percentage with two decimals, right-aligned in 7 columns + `%)`,
    /// e.g. `( -50.00%)`, `(  +5.00%)`, `(   0.00%)`.
    static func percent(_ p: Double) -> String {
        "(" + NumberFormat.leftPad(NumberFormat.signedFixed(p, 2), width) + "%)"
    }

    /// An absolute delta, used when the baseline is 0 and a percentage is undefined:
    /// `(   +512)` — the same field, without the `%` sign.
    static func absolute(_ d: Double) -> String {
        "(" + NumberFormat.leftPad(NumberFormat.signedValue(d), width) + ")"
    }

    /// The delta of `value` against `base`.
    ///
    /// Percentages are relative to `|base|`, so the sign always follows the direction the value
    /// moved in, even for negative baselines (drifts). When the baseline is 0: `(   0.00%)` if the
    /// value is 0 too, otherwise the absolute delta (decision: a number says more than "new", and
    /// drifts away from 0 are exactly what the accounting tables are about).
    static func delta(base: Double, value: Double) -> String {
        if base == 0 { return value == 0 ? percent(0) : absolute(value) }
        return percent((value - base) / abs(base) * 100)
    }

    /// The delta, emphasised for markdown (`*( -50.00%)*`) when `significant`.
    static func markdown(base: Double, value: Double, significant: Bool) -> String {
        let d = delta(base: base, value: value)
        return significant ? "*" + d + "*" : d
    }

    /// The delta for plain text: a trailing `*` when `significant`, a space otherwise, so that
    /// columns stay aligned.
    static func text(base: Double, value: Double, significant: Bool) -> String {
        delta(base: base, value: value) + (significant ? "*" : " ")
    }
}
