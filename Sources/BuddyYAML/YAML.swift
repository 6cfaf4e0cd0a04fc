import CYAML

/// Entry points: YAML text or a file in, one located node tree out.
///
/// Uses libyaml's event API (`yaml_parser_parse`) rather than the document API: only the event
/// API can stop early when a limit is hit, and it keeps explicit tags such as `!!str`
/// (toolchain-notes §2). One parser per input, because libyaml lets a parser take its input only once.
public enum YAML {
    /// Parses a single YAML document from raw bytes.
    ///
    /// - Parameters:
    ///   - bytes: UTF-8 text, optionally starting with a byte-order mark (stripped, so columns on
    ///     line 1 are not off by one). Invalid UTF-8 and control characters are located errors.
    ///   - file: The name used in error messages.
    ///   - limits: Nesting depth and node budget; see `YAMLLimits`.
    /// - Returns: The root node, or nil for input without a document (empty, blank or only comments).
    /// - Throws: `YAMLError` for syntax, encoding, duplicate keys, undefined aliases, a second
    ///   document, or an exceeded limit.
    public static func parse(
        bytes: [UInt8], file: String, limits: YAMLLimits = .default
    ) throws(YAMLError) -> YAMLNode? {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let body = bytes.starts(with: bom) ? bytes[3...] : bytes[...]
        // libyaml asserts on a NULL input pointer, which is what an empty buffer would give it.
        if body.isEmpty { return nil }
        // libyaml would auto-detect UTF-16 from its BOM, but then reader-error offsets count
        // UTF-16 bytes and our line/column conversion would be wrong: say so plainly instead.
        if body.starts(with: [0xFF, 0xFE]) || body.starts(with: [0xFE, 0xFF]) {
            throw YAMLError(file: file, line: 1, column: 1, message: "file is UTF-16; save it as UTF-8")
        }

        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        defer { parser.deallocate() }
        let event = UnsafeMutablePointer<yaml_event_t>.allocate(capacity: 1)
        defer { event.deallocate() }
        guard yaml_parser_initialize(parser) == 1 else {
            throw YAMLError(file: file, line: 0, column: 0, message: "cannot initialise libyaml (out of memory)")
        }
        defer { yaml_parser_delete(parser) }

        // libyaml keeps the pointer, not a copy: the whole parse must run inside this closure.
        let result: Result<YAMLNode?, YAMLError> = body.withUnsafeBufferPointer { input in
            guard let base = input.baseAddress else { return .success(nil) }
            yaml_parser_set_input_string(parser, base, input.count)
            yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
            let loader = YAMLEventLoader(file: file, limits: limits)
            do throws(YAMLError) {
                return .success(try loader.load(parser: parser, event: event, input: input))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Parses a single YAML document from a string (tests and inline snippets).
    public static func parse(
        string: String, file: String = "<string>", limits: YAMLLimits = .default
    ) throws(YAMLError) -> YAMLNode? {
        try parse(bytes: Array(string.utf8), file: file, limits: limits)
    }

    /// Reads and parses a file. Error messages name the file by `path` exactly as given.
    public static func parse(
        contentsOf path: String, limits: YAMLLimits = .default
    ) throws(YAMLError) -> YAMLNode? {
        try parse(bytes: FileBytes.read(path: path), file: path, limits: limits)
    }
}
