import Foundation

/// Just enough of GitHub markdown to read buddylab's reports back: sections by heading and pipe
/// tables by their header row.
struct MarkdownTable: Equatable {
    let header: [String]
    let rows: [[String]]
}

enum Markdown {
    /// The text after the line `heading` up to the next heading of the same or a higher level
    /// (`## x` ends at the next `## ` or `# `); nil when the heading is absent.
    static func section(_ text: String, _ heading: String) -> String? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0 == heading }) else { return nil }
        let level = heading.prefix { $0 == "#" }.count
        var body: [Substring] = []
        for line in lines[(start + 1)...] {
            let hashes = line.prefix { $0 == "#" }.count
            if hashes > 0, hashes <= level, line.dropFirst(hashes).hasPrefix(" ") { break }
            body.append(line)
        }
        return body.joined(separator: "\n")
    }

    /// The headings of `level` (2 for `## `) in order, without the hashes.
    static func headings(_ text: String, level: Int) -> [String] {
        let marker = String(repeating: "#", count: level) + " "
        return text.split(separator: "\n").filter { $0.hasPrefix(marker) }.map { String($0.dropFirst(marker.count)) }
    }

    /// Every pipe table in `text`: a run of lines starting with `|`, the second one the rule.
    static func tables(_ text: String) -> [MarkdownTable] {
        var tables: [MarkdownTable] = []
        var block: [[String]] = []
        func flush() {
            if block.count >= 2 { tables.append(MarkdownTable(header: block[0], rows: Array(block.dropFirst(2)))) }
            block = []
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("|") { block.append(cells(line)) } else { flush() }
        }
        flush()
        return tables
    }

    /// Cells of one `| a | b |` row, trimmed. Report cells never contain an escaped `\|`.
    static func cells(_ line: Substring) -> [String] {
        var inner = line.dropFirst()
        if inner.hasSuffix("|") { inner = inner.dropLast() }
        return inner.split(separator: "|", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// `` `x` `` → `x`.
    static func unquote(_ cell: String) -> String {
        cell.hasPrefix("`") && cell.hasSuffix("`") && cell.count >= 2 ? String(cell.dropFirst().dropLast()) : cell
    }
}
