/// A character-class rule for identifiers, written like a tiny regex: `[a-z0-9-]+`.
///
/// Experiment and variant names end up in file names and report paths, so they are restricted
/// to a safe alphabet. A full regex engine would be overkill for one bracket expression, and
/// this keeps the rule printable in error messages exactly as the schema reference states it.
public struct IdentifierRule: Sendable, Hashable, CustomStringConvertible {
    /// The pattern as written, shown in error messages.
    public let pattern: String
    private let ranges: [ClosedRange<Unicode.Scalar>]
    private let allowsEmpty: Bool

    /// Lower-case letters, digits and `-`: the rule for experiment names and variant ids.
    public static let slug = IdentifierRule(
        pattern: "[a-z0-9-]+", ranges: ["a"..."z", "0"..."9", "-"..."-"], allowsEmpty: false)

    private init(pattern: String, ranges: [ClosedRange<Unicode.Scalar>], allowsEmpty: Bool) {
        self.pattern = pattern
        self.ranges = ranges
        self.allowsEmpty = allowsEmpty
    }

    /// Parses `[…]+` or `[…]*`, where `…` holds single characters and `a-z` ranges (a `-` first
    /// or last is literal, `\` escapes the next character). Returns nil for anything else.
    public init?(pattern: String) {
        var scalars = Array(pattern.unicodeScalars)
        guard scalars.count >= 3, scalars.first == "[", let quantifier = scalars.popLast(),
              quantifier == "+" || quantifier == "*", scalars.popLast() == "]" else { return nil }
        scalars.removeFirst()
        var members: [Unicode.Scalar] = []
        var escaped: [Bool] = []
        var i = 0
        while i < scalars.count {
            if scalars[i] == "\\", i + 1 < scalars.count {
                members.append(scalars[i + 1]); escaped.append(true); i += 2
            } else {
                members.append(scalars[i]); escaped.append(false); i += 1
            }
        }
        var ranges: [ClosedRange<Unicode.Scalar>] = []
        var j = 0
        while j < members.count {
            let isRange = j + 2 < members.count && members[j + 1] == "-" && !escaped[j + 1]
            if isRange {
                guard members[j] <= members[j + 2] else { return nil }
                ranges.append(members[j]...members[j + 2]); j += 3
            } else {
                ranges.append(members[j]...members[j]); j += 1
            }
        }
        guard !ranges.isEmpty else { return nil }
        self.init(pattern: pattern, ranges: ranges, allowsEmpty: quantifier == "*")
    }

    public var description: String { pattern }

    /// The first character of `text` outside the rule, or nil if `text` matches.
    /// An empty `text` that the rule forbids reports nil too; use `matches` for the full test.
    public func firstViolation(in text: String) -> Unicode.Scalar? {
        text.unicodeScalars.first { scalar in !ranges.contains { $0.contains(scalar) } }
    }

    /// Whether the whole of `text` matches.
    public func matches(_ text: String) -> Bool {
        (allowsEmpty || !text.isEmpty) && firstViolation(in: text) == nil
    }
}

extension NodeReader {
    /// A string matching `[a-z0-9-]+` (experiment names, variant ids).
    public func identifier(_ node: YAMLNode) throws(YAMLDecodeError) -> String {
        try identifier(node, rule: .slug, what: "name")
    }

    /// A string matching `rule`; `what` names the value in the message ("name", "variant id").
    public func identifier(_ node: YAMLNode, rule: IdentifierRule, what: String) throws(YAMLDecodeError) -> String {
        let text = try string(node)
        guard rule.matches(text) else {
            let detail = rule.firstViolation(in: text).map { " ('\(String($0))' is not allowed)" } ?? " (it is empty)"
            throw error("\(what) '\(text)' must match \(rule.pattern)\(detail)", at: node)
        }
        return text
    }

    /// One of a closed set of words (`preset: x86_64`), with a suggestion for near misses.
    public func choice(_ node: YAMLNode, from choices: [String], what: String) throws(YAMLDecodeError) -> String {
        let text = try string(node)
        guard choices.contains(text) else {
            let hint = EditDistance.nearest(to: text, in: choices).map { "did you mean '\($0)'? " } ?? ""
            throw error("unknown \(what) '\(text)'; \(hint)(valid: \(choices.joined(separator: ", ")))", at: node)
        }
        return text
    }
}
