/// One node of a parsed YAML document: a scalar, a sequence or a mapping.
///
/// The tree is deliberately untyped: libyaml is only a parser, and YAML 1.1 type resolution
/// (`yes` is a bool, `010` is octal, ...) is exactly the kind of silent guessing a strict
/// experiment schema must avoid. Scalars therefore keep their text, their quoting style and any
/// explicit tag, and the decoding helpers (`NodeReader`) decide what each key may hold.
public struct YAMLNode: Sendable, Equatable {
    /// How a scalar was written. Quoted scalars are always strings to the strict readers, so
    /// `"42"` is not silently accepted where an integer is expected.
    public enum ScalarStyle: Sendable, Hashable {
        case plain
        case singleQuoted
        case doubleQuoted
        case literal
        case folded
    }

    /// The shape of the node. Mappings keep source order (reports and error messages follow
    /// the file) and never contain duplicate keys: the loader rejects them.
    public enum Kind: Sendable, Equatable {
        case scalar(String, ScalarStyle)
        case sequence([YAMLNode])
        case mapping([(key: YAMLNode, value: YAMLNode)])

        public static func == (lhs: Kind, rhs: Kind) -> Bool {
            switch (lhs, rhs) {
            case let (.scalar(a, sa), .scalar(b, sb)):
                return a == b && sa == sb
            case let (.sequence(a), .sequence(b)):
                return a == b
            case let (.mapping(a), .mapping(b)):
                return a.count == b.count
                    && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
            default:
                return false
            }
        }
    }

    public var kind: Kind
    /// The explicit tag as libyaml reports it (`!!str` becomes `tag:yaml.org,2002:str`), or nil
    /// when the node carried none. The event API keeps the difference between `!!str 123` and `123`.
    public var tag: String?
    /// Where the node starts: its tag, anchor, quote, `[`, `{` or first character.
    public var mark: YAMLMark

    public init(kind: Kind, tag: String? = nil, mark: YAMLMark) {
        self.kind = kind
        self.tag = tag
        self.mark = mark
    }
}

// MARK: - Convenience accessors

extension YAMLNode {
    /// The core-schema tag for strings, as libyaml expands `!!str`.
    public static let stringTag = "tag:yaml.org,2002:str"

    /// The scalar's text, or nil for a sequence or mapping.
    public var scalar: String? {
        if case .scalar(let text, _) = kind { return text }
        return nil
    }

    /// True for a scalar written without quotes or block indicators.
    public var isPlain: Bool {
        if case .scalar(_, .plain) = kind { return true }
        return false
    }

    /// The elements of a sequence, or nil.
    public var sequence: [YAMLNode]? {
        if case .sequence(let items) = kind { return items }
        return nil
    }

    /// The pairs of a mapping in source order, or nil.
    public var mapping: [(key: YAMLNode, value: YAMLNode)]? {
        if case .mapping(let pairs) = kind { return pairs }
        return nil
    }

    /// True for YAML's null: an untagged plain scalar that is empty, `~` or `null`
    /// (or anything tagged `!!null`). `key:` with no value parses to this.
    public var isNull: Bool {
        if tag == "tag:yaml.org,2002:null" { return true }
        guard tag == nil, case .scalar(let text, .plain) = kind else { return false }
        return text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
    }

    /// A short description for "expected X, found Y" messages: `a mapping`, `a sequence`,
    /// `an empty value`, `null`, or the scalar's text in quotes, saying whether it was quoted or
    /// tagged (the usual reason a number is refused). Long text is shortened so one bad value
    /// cannot flood a terminal.
    public var foundDescription: String {
        switch kind {
        case .sequence: return "a sequence"
        case .mapping: return "a mapping"
        case .scalar(let text, let style):
            if isNull { return text.isEmpty ? "an empty value" : "null" }
            let shown = text.unicodeScalars.count > 40
                ? String(String.UnicodeScalarView(text.unicodeScalars.prefix(40))) + "…"
                : text
            let quoted = style == .plain ? "'\(shown)'" : "the quoted string '\(shown)'"
            return tag.map { "\(quoted) tagged \(YAMLNode.shortTag($0))" } ?? quoted
        }
    }

    /// `tag:yaml.org,2002:str` → `!!str`, the way the user wrote it.
    public static func shortTag(_ tag: String) -> String {
        let prefix = "tag:yaml.org,2002:"
        return tag.hasPrefix(prefix) ? "!!" + tag.dropFirst(prefix.count) : tag
    }
}
