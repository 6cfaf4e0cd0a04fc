import BuddyYAML

/// Puts sweep values in place of `$name` references in a node tree, before the ordinary decoders
/// see it.
///
/// A reference is a plain (unquoted) scalar that is exactly `$name`; the value node replaces it
/// whole, keeping the value's own mark, so a bad value is reported at the value in the `sweep:`
/// list (and the CLI adds which point it was decoding). Quoted `"$x"` stays a literal string.
/// Only `machine:` and `workload:` are substituted: they are what a point changes.
enum SweepSubstitution {
    /// The referenced name of `node`, if it is a reference.
    static func reference(_ node: YAMLNode) -> String? {
        guard node.isPlain, node.tag == nil, let text = node.scalar, text.hasPrefix("$") else { return nil }
        return String(text.dropFirst())
    }

    /// Every reference in `node`, in document order (for unknown/unused checks).
    static func references(in node: YAMLNode) -> [(name: String, node: YAMLNode)] {
        switch node.kind {
        case .scalar:
            return reference(node).map { [($0, node)] } ?? []
        case .sequence(let items):
            return items.flatMap { references(in: $0) }
        case .mapping(let pairs):
            return pairs.flatMap { references(in: $0.value) }
        }
    }

    /// `node` with every reference replaced by its binding (references are checked beforehand).
    static func substitute(_ node: YAMLNode, _ bindings: [String: YAMLNode]) -> YAMLNode {
        switch node.kind {
        case .scalar:
            if let name = reference(node), let value = bindings[name] { return value }
            return node
        case .sequence(let items):
            return YAMLNode(kind: .sequence(items.map { substitute($0, bindings) }), tag: node.tag, mark: node.mark)
        case .mapping(let pairs):
            return YAMLNode(kind: .mapping(pairs.map { ($0.key, substitute($0.value, bindings)) }),
                            tag: node.tag, mark: node.mark)
        }
    }

    /// Checks references against `sweep`: a reference to an unknown parameter is an error at the
    /// reference; a parameter nothing references is an error at its name (a sweep that changes
    /// nothing would run identical points).
    static func check(_ sections: [YAMLNode], sweep: Sweep?, reader: NodeReader) throws(YAMLDecodeError) {
        let refs = sections.flatMap { references(in: $0) }
        let names = sweep?.parameters.map(\.name) ?? []
        for ref in refs where !names.contains(ref.name) {
            let known = names.isEmpty ? "the file has no sweep: section"
                : "sweep: defines \(names.map { "$" + $0 }.joined(separator: ", "))"
            throw reader.error("unknown sweep parameter '$\(ref.name)' (\(known))", at: ref.node)
        }
        for p in sweep?.parameters ?? [] where !refs.contains(where: { $0.name == p.name }) {
            throw reader.error("sweep parameter '\(p.name)' is not used: reference it as $\(p.name) in machine: or workload:",
                               at: p.mark)
        }
    }
}
