/// A position in a YAML source file, as a user counts it.
///
/// Both fields are 1-based because every error message we print is read by a person
/// (`file:line:column:`), and editors number from 1. libyaml's marks are 0-based; the loader
/// converts them once, so nothing downstream has to remember which convention a mark uses.
/// Columns count Unicode code points (what libyaml counts), not bytes and not grapheme clusters.
public struct YAMLMark: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// 1-based line number.
    public var line: Int
    /// 1-based column, in Unicode code points.
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// `line:column`, the form used inside `file:line:column:` diagnostics.
    public var description: String { "\(line):\(column)" }

    public static func < (lhs: YAMLMark, rhs: YAMLMark) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }
}
