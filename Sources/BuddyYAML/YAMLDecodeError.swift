/// A located error from the strict schema layer: a value of the wrong type, a bad unit, an
/// unknown key, a missing key.
///
/// Separate from `YAMLError` (the file is well-formed YAML; the *content* is wrong), but
/// printed the same way, `file:line:column: message`, so users and the CLI treat both alike.
public struct YAMLDecodeError: Error, CustomStringConvertible, Sendable, Equatable {
    public var file: String
    /// 1-based line, or 0 when there is no position.
    public var line: Int
    /// 1-based column in code points, or 0 when there is no position.
    public var column: Int
    public var message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public init(file: String, mark: YAMLMark, message: String) {
        self.init(file: file, line: mark.line, column: mark.column, message: message)
    }

    /// Wraps a parse error, so a decoder can surface a single error type.
    /// libyaml's context is folded into the message.
    public init(_ error: YAMLError) {
        let suffix = error.context.map { " (\($0))" } ?? ""
        self.init(file: error.file, line: error.line, column: error.column, message: error.message + suffix)
    }

    /// The error position, or nil when the error is not about a place in the file.
    public var mark: YAMLMark? {
        line > 0 ? YAMLMark(line: line, column: column) : nil
    }

    /// `file:line:column: message`, or `file: message` without a position.
    public var description: String {
        line > 0 ? "\(file):\(line):\(column): \(message)" : "\(file): \(message)"
    }
}
