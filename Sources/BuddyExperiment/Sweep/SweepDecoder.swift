import BuddyYAML

/// Decodes `sweep:` into a `Sweep`, with located errors: the section must be a non-empty mapping
/// of `[a-z][a-z0-9_]*` names to non-empty lists of distinct scalars, and the matrix may hold at
/// most `Sweep.maxPoints` points.
struct SweepDecoder {
    let reader: NodeReader

    /// Parameter names: what `$name` may reference (no `-`, so `$a-b` cannot be ambiguous).
    static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    func decode(_ node: YAMLNode) throws(YAMLDecodeError) -> Sweep {
        guard let pairs = node.mapping else {
            throw reader.error("sweep must be a mapping of parameter names to lists of values "
                               + "(e.g. sweep: { fill: [20%, 40%] }), found \(node.foundDescription)", at: node)
        }
        guard !pairs.isEmpty else { throw reader.error("sweep must name at least one parameter", at: node) }
        var parameters: [Sweep.Parameter] = []
        var count = 1
        for pair in pairs {
            guard let name = pair.key.scalar, Self.isValidName(name) else {
                throw reader.error("sweep parameter names are [a-z][a-z0-9_]* (referenced as $name), found "
                                   + pair.key.foundDescription, at: pair.key)
            }
            guard let items = pair.value.sequence else {
                throw reader.error("sweep parameter '\(name)' must be a list of values, found "
                                   + pair.value.foundDescription, at: pair.value)
            }
            guard !items.isEmpty else {
                throw reader.error("sweep parameter '\(name)' must list at least one value", at: pair.value)
            }
            // The point limit before any per-value work: a 200,000-value list is refused at once.
            guard items.count <= Sweep.maxPoints, count * items.count <= Sweep.maxPoints else {
                throw reader.error("the sweep expands into more than \(Sweep.maxPoints) points", at: pair.value)
            }
            var seen: Set<String> = []
            for item in items {
                guard let text = item.scalar, !item.isNull else {
                    throw reader.error("sweep values must be scalars (a size, a percentage, a number...), found "
                                       + item.foundDescription, at: item)
                }
                guard seen.insert(text).inserted else {
                    throw reader.error("sweep parameter '\(name)' lists '\(text)' twice", at: item)
                }
            }
            count *= items.count
            guard count <= Sweep.maxPoints else {
                throw reader.error("the sweep expands into more than \(Sweep.maxPoints) points", at: pair.value)
            }
            parameters.append(Sweep.Parameter(name: name, mark: pair.key.mark, values: items))
        }
        return Sweep(parameters: parameters)
    }
}
