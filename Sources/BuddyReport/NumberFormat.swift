/// Locale-free number formatting.
///
/// Reports must be byte-identical across machines and locales, so nothing here goes through
/// `String(format:)` or a `NumberFormatter`: values are rounded half away from zero and printed
/// with ASCII digits only.
enum NumberFormat {
    /// `x` with exactly `decimals` digits after the point, e.g. `fixed(-0.125, 2) == "-0.13"`.
    /// A value that rounds to zero prints without a sign.
    static func fixed(_ x: Double, _ decimals: Int) -> String {
        guard x.isFinite else { return x.isNaN ? "nan" : (x < 0 ? "-inf" : "inf") }
        var scale = 1.0
        for _ in 0..<max(0, decimals) { scale *= 10 }
        let scaled = (abs(x) * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9.0e15 else { return "\(x)" }
        let units = Int(scaled)
        let divisor = Int(scale)
        let whole = units / divisor
        let sign = x < 0 && units != 0 ? "-" : ""
        guard decimals > 0 else { return sign + String(whole) }
        let fraction = String(units % divisor)
        let padded = String(repeating: "0", count: decimals - fraction.count) + fraction
        return sign + String(whole) + "." + padded
    }

    /// A metric value: an integer when the value is integral (every seed equal, or an integer
    /// mean), else two decimals. Metrics are integer counters, so decimals only ever come from
    /// averaging over seeds.
    static func value(_ x: Double) -> String {
        if x.isFinite, x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
        return fixed(x, 2)
    }

    /// `value(x)` with an explicit `+` for positive values (deltas).
    static func signedValue(_ x: Double) -> String {
        let body = value(x)
        return x > 0 && body != "0" && body != "0.00" ? "+" + body : body
    }

    /// `fixed(x, decimals)` with an explicit `+` for values that do not round to zero.
    static func signedFixed(_ x: Double, _ decimals: Int) -> String {
        let body = fixed(x, decimals)
        return x > 0 && body.contains(where: { $0 != "0" && $0 != "." }) ? "+" + body : body
    }

    /// A p-value: four decimals, or `<0.0001`.
    static func pValue(_ p: Double) -> String {
        p < 0.0001 ? "<0.0001" : fixed(p, 4)
    }

    /// Left-pads `s` with spaces to `width` characters (right alignment).
    static func leftPad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
    }

    /// Right-pads `s` with spaces to `width` characters (left alignment).
    static func rightPad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
    }
}
