/// Readers for strings, integers, booleans, floating-point numbers and percentages.
extension NodeReader {
    private static let intTags: Set<String> = ["tag:yaml.org,2002:int"]
    private static let boolTags: Set<String> = ["tag:yaml.org,2002:bool"]
    private static let floatTags: Set<String> = ["tag:yaml.org,2002:float", "tag:yaml.org,2002:int"]

    /// Any non-null scalar, quoted or not (`name: 123` is a fine string).
    /// Null (`key:`, `~`) is refused: a missing value is not an empty string.
    public func string(_ node: YAMLNode) throws(YAMLDecodeError) -> String {
        try scalarText(node, expected: "a string", policy: .anyStyle)
    }

    /// A plain decimal or `0x` hex integer with optional `_` separators, e.g. `-3`, `0x400`, `1_000`.
    public func int(_ node: YAMLNode) throws(YAMLDecodeError) -> Int {
        let text = try scalarText(node, expected: "an integer", policy: .plain(tags: Self.intTags))
        switch IntegerSyntax.parse(text[...]) {
        case .value(let magnitude, let negative):
            if negative, magnitude <= UInt64(Int.max) + 1 {
                return magnitude == UInt64(Int.max) + 1 ? Int.min : -Int(magnitude)
            }
            if !negative, magnitude <= UInt64(Int.max) { return Int(magnitude) }
            throw error("integer \(text) overflows (the range is \(Int.min)...\(Int.max))", at: node)
        case .overflow:
            throw error("integer \(text) overflows (the range is \(Int.min)...\(Int.max))", at: node)
        case .invalid(let reason):
            throw error(Self.invalid("an integer", text, reason), at: node)
        }
    }

    /// An integer that must lie in `range`, e.g. `max_order` in `0...20`.
    public func int(_ node: YAMLNode, in range: ClosedRange<Int>) throws(YAMLDecodeError) -> Int {
        let value = try int(node)
        guard range.contains(value) else {
            throw error("\(value) is out of range \(range.lowerBound)...\(range.upperBound)", at: node)
        }
        return value
    }

    /// A non-negative integer up to 2⁶⁴−1 (counts, seeds, raw addresses).
    public func uint64(_ node: YAMLNode) throws(YAMLDecodeError) -> UInt64 {
        let text = try scalarText(node, expected: "a non-negative integer", policy: .plain(tags: Self.intTags))
        switch IntegerSyntax.parse(text[...]) {
        case .value(let magnitude, let negative):
            if negative && magnitude != 0 {
                throw error("expected a non-negative integer, found \(text)", at: node)
            }
            return magnitude
        case .overflow(let negative):
            throw error(negative ? "expected a non-negative integer, found \(text)"
                                 : "integer \(text) overflows (the largest is \(UInt64.max))", at: node)
        case .invalid(let reason):
            throw error(Self.invalid("a non-negative integer", text, reason), at: node)
        }
    }

    /// A non-negative integer that must lie in `range`.
    public func uint64(_ node: YAMLNode, in range: ClosedRange<UInt64>) throws(YAMLDecodeError) -> UInt64 {
        let value = try uint64(node)
        guard range.contains(value) else {
            throw error("\(value) is out of range \(range.lowerBound)...\(range.upperBound)", at: node)
        }
        return value
    }

    /// Exactly `true` or `false`. YAML 1.1's `yes`, `on`, `True` … are refused with a hint,
    /// because `no` meaning false surprises people (the "Norway problem").
    public func bool(_ node: YAMLNode) throws(YAMLDecodeError) -> Bool {
        let text = try scalarText(node, expected: "true or false", policy: .plain(tags: Self.boolTags))
        switch text {
        case "true": return true
        case "false": return false
        default: throw error("expected true or false, found '\(text)'", at: node)
        }
    }

    /// A finite decimal number such as `0.5`, `3`, `1e-3`. No `.inf`, `.nan` or hex floats.
    public func double(_ node: YAMLNode) throws(YAMLDecodeError) -> Double {
        let text = try scalarText(node, expected: "a number", policy: .plain(tags: Self.floatTags))
        return try number(text, expected: "a number", at: node)
    }

    /// A finite number that must lie in `range`.
    public func double(_ node: YAMLNode, in range: ClosedRange<Double>) throws(YAMLDecodeError) -> Double {
        let value = try double(node)
        guard range.contains(value) else {
            throw error("\(value) is out of range \(range.lowerBound)...\(range.upperBound)", at: node)
        }
        return value
    }

    /// A percentage written with `%` (`80%`, `12.5%`), returned as a fraction (0.8, 0.125).
    /// Must lie in 0%...100%. Quoting is accepted (`'30%'` is the same text); an exponent is not.
    public func percent(_ node: YAMLNode) throws(YAMLDecodeError) -> Double {
        try percent(node, in: 0...100)
    }

    /// A percentage whose value in percent (before dividing by 100) must lie in `range`,
    /// e.g. `0...1000` for a growth factor. Returned as a fraction.
    public func percent(_ node: YAMLNode, in range: ClosedRange<Double>) throws(YAMLDecodeError) -> Double {
        let text = try scalarText(node, expected: "a percentage such as 80%", policy: .anyStyle)
        let trimmed = Self.trimmed(text[...])
        guard trimmed.hasSuffix("%") else {
            throw error("expected a percentage such as 80%, found '\(text)'", at: node)
        }
        let digits = String(Self.trimmed(trimmed.dropLast()))
        // Decimal digits only (`12.5%`): `1e1%` is refused, not read as 10% (issue 12, defect 7:
        // an exponent in a percentage is far likelier a typo than a meaning).
        guard !digits.contains(where: { $0 == "e" || $0 == "E" }) else {
            throw error("expected a percentage such as 80% or 12.5%, found '\(text)' (no exponents in percentages)", at: node)
        }
        let value = try number(digits, expected: "a percentage such as 80%", at: node)
        guard range.contains(value) else {
            throw error("percentage \(text) is out of range \(Self.format(range.lowerBound))%...\(Self.format(range.upperBound))%",
                        at: node)
        }
        return value / 100
    }

    // MARK: - Helpers

    /// Parses decimal floating-point text, refusing what `Double(_:)` accepts but YAML users
    /// would not mean: `inf`, `nan`, hex floats. `_` separators are allowed, as for integers.
    private func number(_ text: String, expected: String, at node: YAMLNode) throws(YAMLDecodeError) -> Double {
        let allowed: Set<Character> = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", ".", "e", "E", "+", "-", "_"]
        let hasDigit = text.contains { $0.isASCII && $0.isNumber }
        guard hasDigit, text.allSatisfy({ allowed.contains($0) }),
              let value = Double(text.filter { $0 != "_" })
        else {
            throw error("expected \(expected), found '\(text)'", at: node)
        }
        guard value.isFinite else { throw error("number \(text) overflows", at: node) }
        return value
    }

    static func invalid(_ expected: String, _ text: String, _ reason: String?) -> String {
        "expected \(expected), found '\(text)'" + (reason.map { ": \($0)" } ?? "")
    }

    /// Drops surrounding spaces and tabs (quoted scalars keep them; `" 64 MiB "` is still a size).
    static func trimmed(_ text: Substring) -> Substring {
        let start = text.firstIndex { $0 != " " && $0 != "\t" } ?? text.endIndex
        let end = text.lastIndex { $0 != " " && $0 != "\t" }.map { text.index(after: $0) } ?? start
        return text[start..<end]
    }

    /// `100.0` → `100`, `12.5` → `12.5`, for range messages.
    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
