import BuddyCore
import BuddyResults
import BuddyVariants
import BuddyYAML

/// Decodes `expect:`. Runs after the workload, because `op: I` must name an existing scripted op
/// and `variant:` a selected variant.
struct ExpectDecoder {
    let reader: NodeReader
    let selected: [String]
    let scriptCount: Int

    static let comparisonKeys = ["equals", "not_equals", "min", "max", "less_than_variant",
                                 "greater_than_variant", "equals_variant"]
    static let opResults = ["ok", "fail", "ebusy", "einval", "enomem", "fault", "skipped"]

    func decode(_ node: YAMLNode) throws(YAMLDecodeError) -> [Expectation] {
        var out: [Expectation] = []
        for (i, item) in try reader.sequence(node).enumerated() {
            out.append(try decodeOne(item, context: "expect[\(i)]"))
        }
        return out
    }

    private func decodeOne(_ node: YAMLNode, context: String) throws(YAMLDecodeError) -> Expectation {
        let m = try reader.mapping(node, context: context)
            .allowing(["variant", "metric", "op", "result"] + Self.comparisonKeys)
        var variant: String?
        if let n = m.optional("variant"), !(n.isPlain && n.scalar == "all") { variant = try selectedVariant(n) }
        let present = m.entries.filter { Self.comparisonKeys.contains($0.key) }
        if let metricNode = m.optional("metric") {
            if m.contains("op") { throw reader.error("give either metric: or op:, not both", at: m.keyMark("op")) }
            if m.contains("result") {
                throw reader.error("result: goes with op:, not with metric:", at: m.keyMark("result"))
            }
            let metric = try reader.choice(metricNode, from: MetricCatalog.names, what: "metric")
            guard !present.isEmpty else {
                throw reader.error("a metric expectation needs one of \(Self.comparisonKeys.joined(separator: ", "))",
                                   at: m.mark)
            }
            var comparisons: [Expectation.Comparison] = []
            for entry in present { comparisons.append(try comparison(entry.key, entry.value)) }
            return Expectation(variant: variant, check: .metric(metric, comparisons), line: node.mark.line)
        }
        guard let opNode = m.optional("op") else {
            throw reader.error("an expectation needs metric: or op:", at: m.mark)
        }
        if let first = present.first {
            throw reader.error("\(first.key): goes with metric:, not with op: (use result:)", at: first.keyMark)
        }
        let index = try reader.int(opNode)
        guard (0..<scriptCount).contains(index) else {
            let have = scriptCount == 0 ? "the experiment has no scripted ops"
                : "the experiment has \(scriptCount) scripted ops (0...\(scriptCount - 1))"
            throw reader.error("op \(index) is out of range: \(have)", at: opNode)
        }
        let result = try reader.choice(m.required("result"), from: Self.opResults, what: "op result")
        return Expectation(variant: variant, check: .op(index: index, result: result), line: node.mark.line)
    }

    private func comparison(_ key: String, _ value: YAMLNode) throws(YAMLDecodeError) -> Expectation.Comparison {
        switch key {
        case "equals": return .equals(try reader.int(value))
        case "not_equals": return .notEquals(try reader.int(value))
        case "min": return .min(try reader.int(value))
        case "max": return .max(try reader.int(value))
        case "less_than_variant": return .lessThanVariant(try selectedVariant(value))
        case "greater_than_variant": return .greaterThanVariant(try selectedVariant(value))
        default: return .equalsVariant(try selectedVariant(value))
        }
    }

    /// A registered variant id that `variants:` selected.
    private func selectedVariant(_ node: YAMLNode) throws(YAMLDecodeError) -> String {
        let id = try reader.choice(node, from: Variants.ids, what: "variant")
        guard selected.contains(id) else {
            throw reader.error("variant '\(id)' is not selected by variants: (selected: \(selected.joined(separator: ", ")))",
                               at: node)
        }
        return id
    }
}
