/// A trace that cannot be read or parsed, located at `file:line`.
public struct TraceError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    /// 1-based line in the decompressed text; 0 when the error is about the whole file.
    public var line: Int
    /// 1-based column of the offending byte (0 when unknown).
    public var column: Int
    public var message: String

    public init(file: String, line: Int, column: Int = 0, message: String) {
        self.file = file; self.line = line; self.column = column; self.message = message
    }

    public var description: String {
        line == 0 ? "\(file): \(message)"
            : column == 0 ? "\(file):\(line): \(message)" : "\(file):\(line):\(column): \(message)"
    }
}
