/// A table of pre-formatted cells, rendered either as a GitHub markdown pipe table or as aligned
/// plain text (package-benchmark's `Style.pipe` / `Style.fancy` split).
///
/// Markdown output is padded to column widths too: reports are pasted into plain-text mail on
/// linux-mm as often as they are viewed rendered, and padded pipe tables read well in both.
struct Table: Sendable {
    enum Alignment: Sendable { case left, right }

    struct Column: Sendable {
        var title: String
        var alignment: Alignment
        init(_ title: String, _ alignment: Alignment = .left) {
            self.title = title; self.alignment = alignment
        }
    }

    /// Columns are padded to at most this many characters; longer cells just overflow, so one
    /// long value (a command line) does not pad every other row with a screenful of spaces.
    static let maxPaddedWidth = 80

    var columns: [Column]
    private(set) var rows: [[String]] = []

    init(_ columns: [Column]) { self.columns = columns }

    /// Appends a row; missing trailing cells are empty, extra cells are dropped.
    mutating func append(_ cells: [String]) {
        var row = Array(cells.prefix(columns.count))
        while row.count < columns.count { row.append("") }
        rows.append(row)
    }

    var isEmpty: Bool { rows.isEmpty }

    /// A GitHub-flavoured markdown pipe table, one line per row, ending with a newline.
    /// `|` inside cells is escaped and line breaks become spaces.
    func markdown() -> String {
        let header = columns.map { Self.escape($0.title) }
        let body = rows.map { $0.map(Self.escape) }
        let widths = Self.widths(header: header, rows: body, minimum: 3)
        var out = line(header, widths, open: "| ", separator: " | ", close: " |")
        let rule = columns.indices.map { i -> String in
            let dashes = String(repeating: "-", count: widths[i] - 1)
            return columns[i].alignment == .right ? dashes + ":" : dashes + "-"
        }
        out += "| " + rule.joined(separator: " | ") + " |\n"
        for row in body { out += line(row, widths, open: "| ", separator: " | ", close: " |") }
        return out
    }

    /// Plain text: columns separated by two spaces, a dashed rule under the header, no markup.
    func text(indent: String = "") -> String {
        let header = columns.map { Self.flatten($0.title) }
        let body = rows.map { $0.map(Self.flatten) }
        let widths = Self.widths(header: header, rows: body, minimum: 1)
        var out = indent + trimmed(line(header, widths, open: "", separator: "  ", close: ""))
        out += indent + widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
        for row in body {
            out += indent + trimmed(line(row, widths, open: "", separator: "  ", close: ""))
        }
        return out
    }

    private func line(_ cells: [String], _ widths: [Int], open: String, separator: String,
                      close: String) -> String {
        let padded = cells.indices.map { i in
            columns[i].alignment == .right
                ? NumberFormat.leftPad(cells[i], widths[i])
                : NumberFormat.rightPad(cells[i], widths[i])
        }
        return open + padded.joined(separator: separator) + close + "\n"
    }

    /// Drops trailing spaces of a text line (keeps the newline) so output has no trailing blanks.
    private func trimmed(_ line: String) -> String {
        var body = line.dropLast()
        while body.last == " " { body = body.dropLast() }
        return String(body) + "\n"
    }

    private static func widths(header: [String], rows: [[String]], minimum: Int) -> [Int] {
        header.indices.map { i in
            min(maxPaddedWidth, rows.reduce(max(minimum, header[i].count)) { max($0, $1[i].count) })
        }
    }

    static func escape(_ cell: String) -> String {
        // Fast path: most cells hold nothing to escape, and `replacing` scans and copies even
        // then (it dominated rendering a 100 k-row ops table).
        guard cell.utf8.contains(where: { $0 == UInt8(ascii: "|") || $0 == 10 || $0 == 13 }) else { return cell }
        return flatten(cell).replacing("|", with: "\\|")
    }

    static func flatten(_ cell: String) -> String {
        guard cell.utf8.contains(where: { $0 == 10 || $0 == 13 }) else { return cell }
        return cell.replacing("\r\n", with: " ").replacing("\n", with: " ").replacing("\r", with: " ")
    }
}
