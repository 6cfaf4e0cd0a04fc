import BuddyReport
import BuddyResults
import Foundation

/// A written report is a markdown file plus the SVG files it links (sweep charts, the pageblock
/// heatmap), written beside it. Pictures exist only beside a regular file: a report sent to
/// stdout, a FIFO or a device (`OutputTarget`) is the markdown alone, without links to pictures
/// nobody could open.
enum ReportFiles {
    /// `reports/contig-sweep.md` → `contig-sweep`: charts are `contig-sweep.<metric>.svg`.
    static func prefix(forReport path: String) -> String {
        var name = URL(fileURLWithPath: path).lastPathComponent
        if name.hasSuffix(".md") { name.removeLast(3) }
        return name
    }

    /// Largest heatmap written beside a report: a 24 GiB machine's 12,288 pageblocks × 16
    /// variants made 13 MB files that browsers and code hosts do not display. The heatmap now
    /// downsamples large machines (`PageblockHeatmapSVG.maxTotalCells`) and stays well under
    /// this; the cap remains as a guard, and the text pageblock map in the report stays.
    static let maxHeatmapBytes = 2 << 20

    /// A plain report: its SVG pageblock heatmap beside it (`<report name>.pageblocks.svg`),
    /// linked from the pageblock section, when the report goes to a regular file and the
    /// picture is at most `maxHeatmapBytes`.
    static func writeWithHeatmap(_ input: ReportInput, to target: OutputTarget) throws {
        var input = input
        var files: [(name: String, contents: String)] = []
        if case .file(let resolved) = target.destination, let svg = renderPageblockHeatmap(input),
           svg.utf8.count <= maxHeatmapBytes {
            let name = prefix(forReport: resolved) + ".pageblocks.svg"
            input.pageblockHeatmapFile = name
            files.append((name, svg))
        }
        if case .file(let resolved) = target.destination {
            for (metric, svg) in TimeSeriesChartSVG.renderAll(input) {
                let name = prefix(forReport: resolved) + ".series." + metric + ".svg"
                input.timeSeriesFiles[metric] = name
                files.append((name, svg))
            }
        }
        try write(RenderedReport(markdown: renderMarkdown(input), files: files), to: target)
    }

    /// Writes the pictures first (beside the resolved report file), then the report. Each
    /// picture goes through `OutputTarget` like the report: a symlink, FIFO or device already at
    /// a picture's path is written through or refused, never replaced by a regular file; a
    /// picture that cannot be written is left out with a warning (the report is what was asked).
    static func write(_ rendered: RenderedReport, to target: OutputTarget) throws {
        if case .file(let resolved) = target.destination {
            let directory = URL(fileURLWithPath: resolved).deletingLastPathComponent().path
            for file in rendered.files {
                let path = directory + "/" + file.name
                do { try OutputTarget.prepare(path, flag: "\(target.flag) picture").write(file.contents) } catch let e as BadInput {
                    Console.err("buddylab: warning: \(e.message); picture not written\n")
                }
            }
        }
        try target.write(rendered.markdown)
    }
}
