import BuddyResults

/// The migratetype of every pageblock at the end of the run, one character per pageblock.
///
/// This is the picture that explains fragmentation results (where unmovable blocks landed,
/// whether isolation was undone, which blocks went offline), so it is printed as text that can be
/// diffed between variants, wrapped at `width` blocks per line with the first block's index in
/// the left margin.
enum PageblockMap {
    static let width = 64
    /// A variant's maps longer than this many lines are folded into `<details>`.
    static let foldAfterLines = 8

    /// Characters in legend order; anything else is counted after them, ascending.
    static let legendOrder: [(Character, String)] = [
        ("U", "unmovable"), ("M", "movable"), ("R", "reclaimable"), ("H", "highatomic"),
        ("C", "cma"), ("I", "isolate"), (".", "offline"),
    ]

    /// Kernel zone order; zones not listed follow in ascending name order.
    static let zoneOrder = ["DMA", "DMA32", "Normal", "HighMem", "Movable", "Device"]

    static func legend(_ style: RenderStyle) -> String {
        "Legend: " + legendOrder.map { style.code(String($0.0)) + " " + $0.1 }.joined(separator: ", ")
            + ". One character per pageblock; the left margin is the index of the first pageblock "
            + "of the line within its zone."
    }

    /// Zones of `map` in kernel zone order.
    static func zones(_ map: [String: String]) -> [String] {
        let known = zoneOrder.filter { map[$0] != nil }
        return known + map.keys.filter { !zoneOrder.contains($0) }.sorted()
    }

    /// One zone as wrapped lines: `   0  UUMM…`.
    static func lines(_ blocks: String) -> [String] {
        let chars = Array(blocks)
        let digits = String(max(0, chars.count - 1)).count
        return stride(from: 0, to: chars.count, by: width).map { start in
            NumberFormat.leftPad(String(start), digits) + "  "
                + String(chars[start..<min(chars.count, start + width)])
        }
    }

    /// "U 3, M 150, …": counts per character, legend order first.
    static func counts(_ blocks: String) -> String {
        var tally: [Character: Int] = [:]
        for c in blocks { tally[c, default: 0] += 1 }
        let ordered = legendOrder.map(\.0).filter { tally[$0] != nil }
            + tally.keys.filter { c in !legendOrder.contains { $0.0 == c } }.sorted()
        return ordered.map { "\($0) \(tally[$0] ?? 0)" }.joined(separator: ", ")
    }

    /// Every variant's map for the representative seed; empty when no run carries one.
    static func markdown(_ model: ReportModel) -> String {
        var out = ""
        for variant in model.variants {
            guard let map = model.firstRun(variant)?.extras?.pageblockMap, !map.isEmpty else { continue }
            var body = ""
            var lineCount = 0
            for zone in zones(map) {
                let blocks = map[zone] ?? ""
                let zoneLines = lines(blocks)
                lineCount += zoneLines.count
                body += "Zone \(zone): \(blocks.count) pageblocks (\(counts(blocks)))\n\n"
                body += "```text\n" + zoneLines.map { $0 + "\n" }.joined() + "```\n\n"
            }
            out += "#### \(variant)\n\n"
            if lineCount > foldAfterLines {
                let total = map.values.reduce(0) { $0 + $1.count }
                out += "<details><summary>\(total) pageblocks in \(lineCount) lines</summary>\n\n"
                    + body + "</details>\n\n"
            } else {
                out += body
            }
        }
        return out
    }
}
