import CYAML

/// Builds a `YAMLNode` tree from libyaml's event stream, enforcing the limits as it goes.
///
/// Doing the work per event (instead of loading libyaml's document graph and converting it)
/// is what lets the limits stop a hostile file early: the 257th nested `[` or the alias that
/// crosses the node budget ends the parse immediately (toolchain-notes §2, pitfalls 9 and 10).
final class YAMLEventLoader {
    private let file: String
    private let limits: YAMLLimits
    private var stack: [OpenCollection] = []
    /// Completed anchored nodes and their subtree sizes. Anchors register when their node is
    /// complete, so an alias inside its own anchor (a cycle) is simply undefined.
    private var anchors: [String: (node: YAMLNode, count: Int)] = [:]
    private var totalNodes = 0
    /// Of `totalNodes`, those materialised by expanding aliases.
    private var aliasedNodes = 0
    private var documents = 0
    private var root: YAMLNode?

    init(file: String, limits: YAMLLimits) {
        self.file = file
        self.limits = limits
    }

    /// Runs the parser to the end of the stream.
    ///
    /// `parser` and `event` are heap allocations that must not move while libyaml holds
    /// pointers into them; `input` is the buffer the parser reads, used to locate reader errors.
    func load(
        parser: UnsafeMutablePointer<yaml_parser_t>,
        event: UnsafeMutablePointer<yaml_event_t>,
        input: UnsafeBufferPointer<UInt8>
    ) throws(YAMLError) -> YAMLNode? {
        while true {
            guard yaml_parser_parse(parser, event) == 1 else {
                throw libyamlError(parser.pointee, input: input)
            }
            // Every successfully parsed event owns heap memory (anchor, tag, value).
            defer { yaml_event_delete(event) }
            if try handle(event.pointee) { return root }
        }
    }

    /// Consumes one event; returns true at the end of the stream.
    private func handle(_ event: yaml_event_t) throws(YAMLError) -> Bool {
        let mark = YAMLMark(event.start_mark)
        switch event.type {
        case YAML_STREAM_END_EVENT:
            return true
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            if documents > 1 {
                throw YAMLError(
                    file: file, mark: mark,
                    message: "only one YAML document is allowed per file; a second document starts at line \(mark.line)")
            }
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let text = scalar.value.map {
                String(decoding: UnsafeBufferPointer(start: $0, count: scalar.length), as: UTF8.self)
            } ?? ""
            try charge(1, at: mark)
            let node = YAMLNode(kind: .scalar(text, ScalarStyleMapping.style(scalar.style)),
                                tag: cString(scalar.tag), mark: mark)
            try add(node, count: 1, anchor: cString(scalar.anchor))
        case YAML_ALIAS_EVENT:
            let name = cString(event.data.alias.anchor) ?? ""
            guard let anchored = anchors[name] else {
                throw YAMLError(file: file, mark: mark, message: "found undefined or recursive alias '*\(name)'")
            }
            aliasedNodes += anchored.count
            try charge(anchored.count, at: mark)
            var copy = anchored.node
            copy.mark = mark  // "expected X, found Y" should point where the alias is used
            try add(copy, count: anchored.count, anchor: nil)
        case YAML_SEQUENCE_START_EVENT:
            let start = event.data.sequence_start
            try open(.sequence, tag: cString(start.tag), anchor: cString(start.anchor), at: mark)
        case YAML_MAPPING_START_EVENT:
            let start = event.data.mapping_start
            try open(.mapping, tag: cString(start.tag), anchor: cString(start.anchor), at: mark)
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            guard let collection = stack.popLast() else {
                throw YAMLError(file: file, mark: mark, message: "internal error: unbalanced collection end")
            }
            try add(collection.node(), count: collection.nodeCount, anchor: collection.anchor)
        default:
            break  // stream start, document end, and YAML_NO_EVENT carry nothing for the tree
        }
        return false
    }

    private func open(_ shape: OpenCollection.Shape, tag: String?, anchor: String?, at mark: YAMLMark) throws(YAMLError) {
        if stack.count >= limits.maxDepth {
            throw YAMLError(file: file, mark: mark,
                            message: "nesting is deeper than \(limits.maxDepth) levels")
        }
        try charge(1, at: mark)
        stack.append(OpenCollection(shape: shape, tag: tag, anchor: anchor, mark: mark))
    }

    /// Counts `count` materialised nodes against the budget.
    private func charge(_ count: Int, at mark: YAMLMark) throws(YAMLError) {
        totalNodes += count
        if totalNodes > limits.maxNodes {
            // Say which limit was hit and why (issue 12, defect 6: a 900 k-op script without a
            // single alias was refused as "too many aliases?").
            let message = aliasedNodes > 0
                ? "document expands to more than \(limits.maxNodes) YAML nodes, \(aliasedNodes) of them "
                    + "copies made by aliases (the per-file node limit guards against alias bombs)"
                : "the file has more than \(limits.maxNodes) YAML nodes (the per-file node limit; a scripted "
                    + "op such as `- alloc: { order: 0, type: movable }` takes 7, so about 140000 ops fit): "
                    + "split the script or use repeat:"
            throw YAMLError(file: file, mark: mark, message: message)
        }
    }

    /// Attaches a completed node to the innermost open collection (or makes it the root).
    private func add(_ node: YAMLNode, count: Int, anchor: String?) throws(YAMLError) {
        if let anchor { anchors[anchor] = (node, count) }
        guard let parent = stack.last else {
            root = node
            return
        }
        parent.nodeCount += count
        switch parent.shape {
        case .sequence:
            parent.items.append(node)
        case .mapping:
            if let key = parent.pendingKey {
                parent.pairs.append((key: key, value: node))
                parent.pendingKey = nil
                return
            }
            // libyaml accepts duplicate keys; a later duplicate silently overriding an earlier
            // setting is exactly the mistake a strict experiment file must catch.
            if let text = node.scalar, !parent.scalarKeys.insert(text).inserted {
                throw YAMLError(file: file, mark: node.mark, message: "duplicate key '\(text)'")
            }
            parent.pendingKey = node
        }
    }

    private func cString(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: UnsafePointer($0)) }
    }

    /// Converts libyaml's error state into a located `YAMLError`.
    private func libyamlError(_ parser: yaml_parser_t, input: UnsafeBufferPointer<UInt8>) -> YAMLError {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown libyaml error"
        switch parser.error {
        case YAML_MEMORY_ERROR:
            return YAMLError(file: file, line: 0, column: 0, message: "libyaml ran out of memory")
        case YAML_READER_ERROR:
            // Reader errors leave problem_mark at 0:0 and report a byte offset instead.
            let mark = SourcePosition.mark(ofByteOffset: parser.problem_offset, in: input)
            let value = parser.problem_value == -1 ? "" : " #x" + String(parser.problem_value, radix: 16)
            return YAMLError(file: file, mark: mark, message: problem + value)
        default:
            let context = parser.context.map {
                let at = YAMLMark(parser.context_mark)
                return "\(String(cString: $0)) at line \(at.line), column \(at.column)"
            }
            return YAMLError(file: file, mark: YAMLMark(parser.problem_mark), message: problem, context: context)
        }
    }
}

extension YAMLMark {
    /// Converts libyaml's 0-based mark.
    init(_ mark: yaml_mark_t) {
        self.init(line: mark.line + 1, column: mark.column + 1)
    }
}

/// Maps libyaml's scalar style enumeration onto ours.
enum ScalarStyleMapping {
    static func style(_ style: yaml_scalar_style_t) -> YAMLNode.ScalarStyle {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: return .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: return .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: return .literal
        case YAML_FOLDED_SCALAR_STYLE: return .folded
        default: return .plain
        }
    }
}
