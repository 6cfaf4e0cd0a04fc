/// Reads one YAML mapping strictly: every key must be asked for, or `finish()` rejects it.
///
/// Plain `Codable` ignores unknown keys, so a typo such as `pagblock_order: 11` would silently
/// run with the default. Here each `required`/`optional`/`contains` call records the key as
/// valid; `finish()` then names the first key nobody asked for and suggests the nearest valid one.
///
/// A class because it accumulates the set of keys asked for while a decoder walks it; it lives
/// only for the duration of one decode and is not shared across tasks.
public final class MappingReader {
    /// The reader (file name and scalar readers) used for values and error messages.
    public let reader: NodeReader
    /// Names the mapping in messages, e.g. `machine` or `workload[2].fill`; empty for the top level.
    public let context: String
    /// Where the mapping starts; missing-key errors point here.
    public let mark: YAMLMark
    /// The entries in source order, keys as text.
    public let entries: [(key: String, keyMark: YAMLMark, value: YAMLNode)]
    private let index: [String: Int]
    private var asked: [String] = []
    private var askedSet: Set<String> = []

    /// - Throws: if `node` is not a mapping, or has a key that is not a scalar.
    public init(_ node: YAMLNode, reader: NodeReader, context: String) throws(YAMLDecodeError) {
        self.reader = reader
        self.context = context
        self.mark = node.mark
        let place = context.isEmpty ? "" : " for \(context)"
        guard let pairs = node.mapping else {
            throw reader.error("expected a mapping\(place), found \(node.foundDescription)", at: node)
        }
        var entries: [(key: String, keyMark: YAMLMark, value: YAMLNode)] = []
        var index: [String: Int] = [:]
        entries.reserveCapacity(pairs.count)
        for pair in pairs {
            guard let key = pair.key.scalar, !pair.key.isNull else {
                throw reader.error("mapping keys must be strings, found \(pair.key.foundDescription)", at: pair.key)
            }
            if index[key] == nil { index[key] = entries.count }
            entries.append((key, pair.key.mark, pair.value))
        }
        self.entries = entries
        self.index = index
    }

    /// Convenience for a top-level mapping of `file`.
    public convenience init(_ node: YAMLNode, file: String, context: String = "") throws(YAMLDecodeError) {
        try self.init(node, reader: NodeReader(file: file), context: context)
    }

    /// The file name used in messages.
    public var file: String { reader.file }

    /// The keys present, in source order.
    public var keys: [String] { entries.map(\.key) }

    /// Whether `key` is present; records it as a valid key.
    public func contains(_ key: String) -> Bool {
        record(key)
        return index[key] != nil
    }

    /// The value of `key`, or nil when absent. Records `key` as valid.
    /// A present key with an empty value returns a null node, not nil: `base:` is a mistake
    /// the value reader should report, not a default.
    public func optional(_ key: String) -> YAMLNode? {
        record(key)
        return index[key].map { entries[$0].value }
    }

    /// The value of `key`. Records `key` as valid.
    /// - Throws: "missing required key 'name' in machine", located at the mapping.
    public func required(_ key: String) throws(YAMLDecodeError) -> YAMLNode {
        guard let value = optional(key) else {
            throw reader.error("missing required key '\(key)' \(placePhrase)", at: mark)
        }
        return value
    }

    /// The value of `key` decoded by `decode`, e.g. `try machine.required("max_order", reader.int)`
    /// or `try machine.required("max_order") { try reader.int($0, in: 0...20) }`.
    ///
    /// Untyped `throws` on purpose: Swift 6 infers `any Error` for a closure's thrown type, so a
    /// typed parameter would reject the closure form. It throws `YAMLDecodeError` or whatever
    /// `decode` throws.
    public func required<T>(_ key: String, _ decode: (YAMLNode) throws -> T) throws -> T {
        try decode(required(key))
    }

    /// The value of `key` decoded by `decode`, or nil when the key is absent (see `required(_:_:)`).
    public func optional<T>(_ key: String, _ decode: (YAMLNode) throws -> T) throws -> T? {
        guard let node = optional(key) else { return nil }
        return try decode(node)
    }

    /// The nested mapping under `key`, with context `parent.key` for its own messages.
    public func mapping(_ key: String) throws(YAMLDecodeError) -> MappingReader {
        try MappingReader(required(key), reader: reader, context: childContext(key))
    }

    /// The nested mapping under `key`, or nil when the key is absent.
    public func optionalMapping(_ key: String) throws(YAMLDecodeError) -> MappingReader? {
        guard let node = optional(key) else { return nil }
        return try MappingReader(node, reader: reader, context: childContext(key))
    }

    /// For tagged unions such as workload steps (`- fill: {…}`): the mapping must have exactly
    /// one key, and it must be one of `choices`.
    /// - Throws: on zero or several keys, or an unknown key (with a suggestion).
    public func singleEntry(of choices: [String]) throws(YAMLDecodeError) -> (key: String, value: YAMLNode) {
        choices.forEach(record)
        let expected = "expected exactly one of \(choices.joined(separator: ", ")) \(placePhrase)"
        guard let entry = entries.first else {
            throw reader.error("\(expected), found an empty mapping", at: mark)
        }
        guard askedSet.contains(entry.key) else { throw unknownKey(entry.key, at: entry.keyMark) }
        guard entries.count == 1 else {
            let second = entries[1]
            throw reader.error("\(expected), found '\(entry.key)' and '\(second.key)'", at: second.keyMark)
        }
        return (entry.key, entry.value)
    }

    /// Rejects the first key (in source order) that was never asked for.
    /// Call after reading every key the schema allows, including absent optional ones.
    public func finish() throws(YAMLDecodeError) {
        for entry in entries where !askedSet.contains(entry.key) {
            throw unknownKey(entry.key, at: entry.keyMark)
        }
    }

    /// "unknown key 'x' in machine; did you mean 'y'?", or the list of valid keys.
    public func unknownKey(_ key: String, at keyMark: YAMLMark) -> YAMLDecodeError {
        let head = "unknown key '\(key)' \(placePhrase)"
        if let near = EditDistance.nearest(to: key, in: asked) {
            return reader.error("\(head); did you mean '\(near)'?", at: keyMark)
        }
        if asked.isEmpty {
            return reader.error("\(head); no keys are allowed here", at: keyMark)
        }
        return reader.error("\(head); valid keys are \(asked.joined(separator: ", "))", at: keyMark)
    }

    private var placePhrase: String { context.isEmpty ? "at the top level" : "in \(context)" }

    private func childContext(_ key: String) -> String {
        context.isEmpty ? key : "\(context).\(key)"
    }

    private func record(_ key: String) {
        if askedSet.insert(key).inserted { asked.append(key) }
    }
}
