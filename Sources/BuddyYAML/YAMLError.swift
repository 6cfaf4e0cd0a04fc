/// A located failure to read a YAML file: I/O, syntax, encoding or one of our limits.
///
/// The message and position come straight from libyaml for syntax errors (so they match what
/// other libyaml-based tools print), converted to 1-based line and column. `context` is
/// libyaml's "while parsing …" hint: it often points at the real culprit, e.g. the unclosed `[`
/// several lines above the reported position.
public struct YAMLError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file name as given to the parser (used verbatim in the description).
    public var file: String
    /// 1-based line, or 0 when the error has no position (e.g. the file cannot be opened).
    public var line: Int
    /// 1-based column in code points, or 0 when the error has no position.
    public var column: Int
    /// What went wrong, e.g. `did not find expected ',' or ']'`.
    public var message: String
    /// Where libyaml was when it noticed, e.g. `while parsing a flow sequence at line 2, column 4`.
    public var context: String?

    public init(file: String, line: Int, column: Int, message: String, context: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.context = context
    }

    public init(file: String, mark: YAMLMark, message: String, context: String? = nil) {
        self.init(file: file, line: mark.line, column: mark.column, message: message, context: context)
    }

    /// The error position, or nil when the error is not about a place in the file.
    public var mark: YAMLMark? {
        line > 0 ? YAMLMark(line: line, column: column) : nil
    }

    /// `file:line:column: message (context)`: the form compilers use, so editors and CI
    /// log viewers can jump to it. Errors without a position print `file: message`.
    public var description: String {
        let location = line > 0 ? "\(file):\(line):\(column)" : file
        let suffix = context.map { " (\($0))" } ?? ""
        return "\(location): \(message)\(suffix)"
    }
}
