import Foundation
import BuddyReport
import Testing

/// Every mermaid block the report emits stays inside the xychart-beta grammar GitHub renders.
///
/// Allowed, one per line after `xychart-beta`: `title "…"`, `x-axis [a, b, …]` or
/// `x-axis "label" min --> max`, `y-axis "label" min --> max`, `line [n, …]` / `bar [n, …]`.
/// Also checked: the y range holds every plotted value, and there is at least one series.
@Suite struct MermaidGrammarTests {
    static let number = #"-?[0-9]+(\.[0-9]+)?"#
    static let string = #""[^"\n]*""#

    static func blocks(_ markdown: String) -> [[String]] {
        var blocks: [[String]] = []
        var current: [String]?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line == "```mermaid" {
                current = []
            } else if current != nil, line == "```" {
                blocks.append(current ?? [])
                current = nil
            } else if current != nil {
                current?.append(String(line))
            }
        }
        return blocks
    }

    static func numbers(in list: Substring) -> [Double] {
        list.split(whereSeparator: { $0 == "," || $0 == " " }).compactMap { Double($0) }
    }

    /// Problems found in one block; empty when it is valid.
    static func validate(_ block: [String]) throws -> [String] {
        let title = try Regex("title \(string)")
        let xCategories = try Regex(#"x-axis \[(\#(number)|\#(string)|[A-Za-z0-9_]+)(, (\#(number)|\#(string)|[A-Za-z0-9_]+))*\]"#)
        let xRange = try Regex("x-axis (\(string) )?\(number) --> \(number)")
        let yRange = try Regex("y-axis (\(string) )?(\(number)) --> (\(number))")
        let series = try Regex(#"(line|bar) \[\#(number)(, \#(number))*\]"#)
        var problems: [String] = []
        guard block.first == "xychart-beta" else { return ["first line is not xychart-beta"] }
        var low = -Double.infinity
        var high = Double.infinity
        var values: [Double] = []
        for raw in block.dropFirst() {
            let line = raw.trimmingPrefix(while: { $0 == " " })
            if line.wholeMatch(of: title) != nil || line.wholeMatch(of: xCategories) != nil
                || line.wholeMatch(of: xRange) != nil {
                continue
            } else if line.wholeMatch(of: yRange) != nil {
                // The bounds are the tokens either side of "-->" (a label may hold numbers too).
                let sides = line.split(separator: " --> ")
                if sides.count == 2, let l = sides[0].split(separator: " ").last.flatMap({ Double($0) }),
                   let h = Double(sides[1]) {
                    low = l; high = h
                } else {
                    problems.append("unreadable y-axis bounds: \(raw)")
                }
            } else if line.wholeMatch(of: series) != nil {
                if let open = line.firstIndex(of: "[") {
                    values += numbers(in: line[line.index(after: open)...].dropLast())
                }
            } else {
                problems.append("not xychart-beta grammar: \(raw)")
            }
        }
        if values.isEmpty { problems.append("no line or bar series") }
        if low > high { problems.append("y-axis min > max") }
        for v in values where v < low || v > high { problems.append("value \(v) outside y-axis") }
        return problems
    }

    @Test func goldenReportChartsAreValid() throws {
        let golden = try #require(loadSnapshot("report.md"), "record goldens first")
        let blocks = Self.blocks(golden)
        #expect(blocks.count == 3, "charts: drift, contig by fill, long series; empty one skipped")
        for block in blocks {
            #expect(try Self.validate(block) == [])
        }
    }

    @Test func renderedReportChartsAreValid() throws {
        let blocks = Self.blocks(renderMarkdown(ReportFixture.input()))
        #expect(!blocks.isEmpty)
        for block in blocks { #expect(try Self.validate(block) == []) }
        // Negative drift: the y axis must reach below zero and include zero.
        let drift = try #require(blocks.first { $0.contains { $0.contains("nr_free_pages_drift") } })
        #expect(drift.contains("    y-axis \"value\" -512 --> 0"))
    }

    /// The committed reports/ (what a visitor sees on GitHub) hold only valid charts: 6 of
    /// them at the time of writing, in cma-churn, offline-online-drift, smoke.
    @Test func bundledReportChartsAreValid() throws {
        let reports = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("reports")
        let files = try FileManager.default.contentsOfDirectory(atPath: reports.path).filter { $0.hasSuffix(".md") }
        #expect(files.count >= 8)
        var charts = 0
        for file in files.sorted() {
            let text = try String(contentsOf: reports.appendingPathComponent(file), encoding: .utf8)
            for block in Self.blocks(text) {
                charts += 1
                #expect(try Self.validate(block) == [], "\(file)")
            }
        }
        #expect(charts >= 6)
    }

    @Test func validatorRejectsForeignStatements() throws {
        #expect(try !Self.validate(["xychart-beta", "    legend [a, b]", "    line [1]"]).isEmpty)
        #expect(try !Self.validate(["xychart-beta", "    title \"a \"quoted\" b\"", "    line [1]"]).isEmpty)
        #expect(try !Self.validate(["xychart-beta", "    y-axis \"v\" 0 --> 5", "    line [1, 9]"]).isEmpty)
        #expect(try Self.validate(["xychart-beta", "    x-axis \"s\" 1 --> 2", "    bar [1, 2]"]).isEmpty)
        // A label with a number in it must not hide the bounds.
        #expect(try Self.validate(["xychart-beta", "    y-axis \"pages 4\" 0 --> 5", "    line [1, 9]"])
                == ["value 9.0 outside y-axis"])
    }
}
