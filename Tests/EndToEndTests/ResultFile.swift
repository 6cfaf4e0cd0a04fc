import BuddyResults
import Foundation

/// A `--json` result document with the lookups the report checks need. Every expected cell of a
/// test is computed from here, never hard-coded.
struct ResultFile {
    let document: ResultDocument

    init(path: String) throws {
        document = try ResultJSON.decode(ResultDocument.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    func runs(of variant: String) -> [RunResult] {
        TinyExperiment.seeds.compactMap { seed in document.runs.first { $0.variant == variant && $0.seed == seed } }
    }

    func run(_ variant: String, seed: UInt64) -> RunResult? {
        document.runs.first { $0.variant == variant && $0.seed == seed }
    }

    /// Mean of `metric` over the seeds of `variant`.
    func mean(_ metric: String, _ variant: String) -> Double {
        let values = runs(of: variant).compactMap { $0.metrics[metric] }
        return Double(values.reduce(0, +)) / Double(values.count)
    }

    /// Metric names, as the runs report them (every run reports the same set).
    var metricNames: Set<String> {
        Set(document.runs.flatMap { $0.metrics.keys })
    }

    /// Whether every variant had the same value on every seed: the report's "identical" rows.
    func identicalAcrossVariants(_ metric: String) -> Bool {
        TinyExperiment.seeds.allSatisfy { seed in
            Set(TinyExperiment.variants.map { run($0, seed: seed)?.metrics[metric] }).count == 1
        }
    }
}

/// The report's number formats, written independently of BuddyReport from their documented
/// definitions (experiments/README.md, DeltaFormat's doc comment), so a regression in either
/// side shows up as a mismatch.
enum Expected {
    /// A mean: integral values print as integers, others with two decimals.
    static func value(_ x: Double) -> String {
        x == x.rounded() ? String(Int(x)) : noNegativeZero(String(format: "%.2f", x))
    }

    /// mmtests-style delta of `value` against `base`: `( -50.00%)`, `(  +5.00%)`, `(   0.00%)`,
    /// or an absolute `(   +512)` when the baseline is 0.
    static func delta(base: Double, value: Double) -> String {
        if base == 0 {
            if value == 0 { return "(" + pad("0.00", 7) + "%)" }
            return "(" + pad((value > 0 ? "+" : "") + Self.value(value), 7) + ")"
        }
        let percent = (value - base) / abs(base) * 100
        var text = noNegativeZero(String(format: "%.2f", percent))
        if percent > 0 && text != "0.00" { text = "+" + text }
        return "(" + pad(text, 7) + "%)"
    }

    /// A signed difference as compare prints it: `+3`, `-1.67`, `0`.
    static func signed(_ x: Double) -> String {
        let text = value(x)
        return x > 0 && text != "0" && text != "0.00" ? "+" + text : text
    }

    /// `ResultStore.percentChange`'s definition: relative to |a|, ±100 when moving off zero.
    static func percentChange(from a: Double, to b: Double) -> Double {
        if a == b { return 0 }
        if a == 0 { return b > 0 ? 100 : -100 }
        return (b - a) / abs(a) * 100
    }

    static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
    }

    private static func noNegativeZero(_ s: String) -> String {
        s == "-0.00" ? "0.00" : s
    }
}
