import BuddyReport
import Foundation

/// A written report is a markdown file plus the SVG files it links (sweep charts, the pageblock
/// heatmap), written beside it.
enum ReportFiles {
    /// `reports/contig-sweep.md` → `contig-sweep`: charts are `contig-sweep.<metric>.svg`.
    static func prefix(forReport path: String) -> String {
        var name = URL(fileURLWithPath: path).lastPathComponent
        if name.hasSuffix(".md") { name.removeLast(3) }
        return name
    }

    /// A plain report written to a file: its SVG pageblock heatmap beside it
    /// (`<report name>.pageblocks.svg`), linked from the pageblock section.
    static func writeWithHeatmap(_ input: ReportInput, to path: String) throws {
        var input = input
        var files: [(name: String, contents: String)] = []
        if let svg = renderPageblockHeatmap(input) {
            let name = prefix(forReport: path) + ".pageblocks.svg"
            input.pageblockHeatmapFile = name
            files.append((name, svg))
        }
        try write(RenderedReport(markdown: renderMarkdown(input), files: files), to: path)
    }

    /// Writes the pictures first, then the report, each atomically.
    static func write(_ rendered: RenderedReport, to path: String) throws {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        for file in rendered.files {
            try writeAtomically(file.contents, to: directory + "/" + file.name)
        }
        try writeAtomically(rendered.markdown, to: path)
    }
}
