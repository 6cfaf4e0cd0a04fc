/// Strict, located conversion of YAML nodes into Swift values for one file.
///
/// Carries the file name so every error can say `file:line:column:`. The readers never guess:
/// a value of the wrong shape, a quoted number, an unknown unit or an out-of-range value is an
/// error pointing at the value, because an experiment that silently ran with a default is worse
/// than one that refused to start. Scalar readers live in `ScalarReaders.swift` and
/// `QuantityReaders.swift`; this file holds the structural ones.
public struct NodeReader: Sendable {
    /// The file name used in error messages.
    public let file: String

    public init(file: String) {
        self.file = file
    }

    /// A located error at `node`.
    public func error(_ message: String, at node: YAMLNode) -> YAMLDecodeError {
        YAMLDecodeError(file: file, mark: node.mark, message: message)
    }

    /// A located error at `mark`.
    public func error(_ message: String, at mark: YAMLMark) -> YAMLDecodeError {
        YAMLDecodeError(file: file, mark: mark, message: message)
    }

    /// The elements of a sequence.
    /// - Throws: "expected a sequence, found …" for anything else.
    public func sequence(_ node: YAMLNode) throws(YAMLDecodeError) -> [YAMLNode] {
        guard let items = node.sequence else {
            throw error("expected a sequence, found \(node.foundDescription)", at: node)
        }
        return items
    }

    /// A `MappingReader` over the document root: its messages say "at the top level".
    /// Use `mapping(_:context:)` for anything nested.
    public func mapping(_ node: YAMLNode) throws(YAMLDecodeError) -> MappingReader {
        try MappingReader(node, reader: self, context: "")
    }

    /// A `MappingReader` over `node`; `context` (e.g. `machine`, `zones[1]`) names the mapping
    /// in unknown-key and missing-key messages.
    public func mapping(_ node: YAMLNode, context: String) throws(YAMLDecodeError) -> MappingReader {
        try MappingReader(node, reader: self, context: context)
    }

    // MARK: - Scalar access shared by the readers

    /// Which scalars a reader accepts before looking at the text.
    enum ScalarPolicy {
        /// Numbers and booleans: only plain scalars, untagged or carrying one of these tags.
        /// `"42"` and `!!str 42` were explicitly written as strings; accepting them as numbers
        /// would make quoting meaningless.
        case plain(tags: Set<String>)
        /// Strings and unit-carrying values (`"64 MiB"` is unambiguous): any style, untagged,
        /// `!!str` or the non-specific `!`.
        case anyStyle
    }

    /// The scalar text of `node`, after checking shape, null-ness, style and tag.
    /// - Parameter expected: what the caller wanted, e.g. "an integer", for the message.
    func scalarText(_ node: YAMLNode, expected: String, policy: ScalarPolicy) throws(YAMLDecodeError) -> String {
        guard case .scalar(let text, let style) = node.kind, !node.isNull else {
            throw error("expected \(expected), found \(node.foundDescription)", at: node)
        }
        switch policy {
        case .plain(let tags):
            let tagOK = node.tag.map { tags.contains($0) } ?? true
            guard style == .plain, tagOK else {
                throw error("expected \(expected), found \(node.foundDescription)", at: node)
            }
        case .anyStyle:
            if let tag = node.tag, tag != YAMLNode.stringTag, tag != "!" {
                throw error("expected \(expected), found \(node.foundDescription)", at: node)
            }
        }
        return text
    }
}
