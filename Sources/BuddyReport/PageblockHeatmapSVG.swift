/// Pageblock maps as a picture: one heatmap per variant, side by side, one cell per pageblock.
///
/// Colour is the block's migratetype (the text map's characters), intensity its free share at
/// the end of the run (pale: mostly allocated; saturated: mostly free), isolated blocks are
/// hatched and offline blocks drawn as an empty grey outline — the picture a reviewer would
/// rather look at than read. Zones are stacked top to bottom in kernel order, blocks left to
/// right from the zone's first pfn, `columns` per row. A zone with more than `maxCells` blocks
/// is drawn with each cell standing for a run of consecutive blocks (majority type, mean free
/// share), and the zone label says how many blocks a cell holds.
enum PageblockHeatmapSVG {
    struct Map: Sendable, Equatable {
        var variant: String
        /// Zone → one character per pageblock (`RunExtras.pageblockMap`).
        var zones: [String: String]
        /// Zone → one hex digit per pageblock (`RunExtras.pageblockFree`); empty: unknown (drawn
        /// at full intensity).
        var free: [String: String]
    }

    static let columns = 32
    static let panelsPerRow = 4
    static let cell = 9.0
    static let maxCells = 4096
    static let colours: [Character: (String, String)] = [
        "U": ("#D55E00", "unmovable"), "M": ("#009E73", "movable"), "R": ("#E69F00", "reclaimable"),
        "H": ("#CC79A7", "highatomic"), "C": ("#0072B2", "cma"), "I": ("#666666", "isolate"),
    ]
    static let legendOrder: [Character] = ["U", "M", "R", "H", "C", "I", "."]

    static let caption = "One cell per pageblock, zones top to bottom, blocks left to right from the zone's "
        + "first pfn; colour: migratetype (legend in the picture); intensity: share of the block's pages "
        + "free at the end (pale = allocated, full = free); hatched: isolated; grey outline: offline. "
        + "Hover a cell for its block index, type and free share."

    static func render(_ maps: [Map], title: String) -> String {
        let zones = PageblockMap.zones(maps.first?.zones ?? [:])
        // Rows per zone, from the largest map of that zone over all variants.
        var layout: [(zone: String, group: Int, rows: Int)] = []
        for z in zones {
            let blocks = maps.map { $0.zones[z]?.count ?? 0 }.max() ?? 0
            let group = max(1, (blocks + maxCells - 1) / maxCells)
            let cells = (blocks + group - 1) / group
            layout.append((z, group, (cells + columns - 1) / columns))
        }
        let panelW = Double(columns) * cell + 24
        let zoneGap = 26.0
        let panelH = layout.reduce(0) { $0 + Double($1.rows) * cell + zoneGap }
        let top = 56.0
        // Variants side by side, at most `panelsPerRow` to a row, so eleven variants stay readable.
        let perRow = min(maps.count, panelsPerRow)
        let rows = (maps.count + perRow - 1) / max(1, perRow)
        let rowH = panelH + 30
        let width = max(Double(perRow) * panelW + 20, 420)
        let height = top + Double(rows) * rowH + 10
        var svg = SVGWriter(width: width, height: height)
        svg.raw("<defs><pattern id=\"hatch\" width=\"3\" height=\"3\" patternUnits=\"userSpaceOnUse\" "
                + "patternTransform=\"rotate(45)\"><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"3\" stroke=\"#000000\" "
                + "stroke-width=\"1\"/></pattern></defs>")
        svg.text(10, 18, title, size: 13, bold: true)
        // Legend row.
        var lx = 10.0
        for c in legendOrder {
            if c == "." {
                svg.rect(lx, 28, cell, cell, fill: "#ffffff", stroke: "#999999")
                svg.text(lx + cell + 4, 36, "offline", size: 10); lx += 64
            } else if let (colour, name) = colours[c] {
                svg.rect(lx, 28, cell, cell, fill: colour)
                if c == "I" { svg.rect(lx, 28, cell, cell, fill: "url(#hatch)") }
                svg.text(lx + cell + 4, 36, name, size: 10); lx += Double(name.count) * 6 + 22
            }
        }
        for (m, map) in maps.enumerated() {
            let ox = 10 + Double(m % perRow) * panelW
            let oy = top + Double(m / perRow) * rowH
            svg.text(ox, oy - 4, map.variant, bold: true)
            var y = oy + 14
            for entry in layout {
                let blocks = Array(map.zones[entry.zone] ?? "")
                let free = Array(map.free[entry.zone] ?? "")
                svg.text(ox, y - 3, entry.zone + (entry.group > 1 ? " (\(entry.group) blocks per cell)" : ""), size: 10)
                let cells = (blocks.count + entry.group - 1) / entry.group
                for i in 0..<cells {
                    let range = (i * entry.group)..<min(blocks.count, (i + 1) * entry.group)
                    let type = majority(blocks[range])
                    let share = meanShare(free, range)
                    let x = ox + Double(i % columns) * cell, cy = y + Double(i / columns) * cell
                    let label = cellLabel(range, type: type, share: share)
                    if type == "." {
                        svg.rect(x + 0.5, cy + 0.5, cell - 1, cell - 1, fill: "#ffffff", stroke: "#999999", title: label)
                        continue
                    }
                    let colour = colours[type]?.0 ?? "#000000"
                    svg.rect(x, cy, cell - 0.5, cell - 0.5, fill: colour, opacity: 0.25 + 0.75 * (share ?? 1), title: label)
                    if type == "I" { svg.rect(x, cy, cell - 0.5, cell - 0.5, fill: "url(#hatch)") }
                }
                y += Double(entry.rows) * cell + zoneGap
            }
        }
        return svg.document
    }

    /// The hover text of a cell: `block 12: movable, free 40%`.
    static func cellLabel(_ range: Range<Int>, type: Character, share: Double?) -> String {
        var label = "block \(range.lowerBound)"
        if range.count > 1 { label += "–\(range.upperBound - 1)" }
        let name: String = colours[type]?.1 ?? (type == "." ? "offline" : String(type))
        label += ": " + name
        if let share { label += ", free " + NumberFormat.fixed(share * 100, 0) + "%" }
        return label
    }

    /// The most common character (ties: legend order).
    static func majority(_ chars: ArraySlice<Character>) -> Character {
        var counts: [Character: Int] = [:]
        for c in chars { counts[c, default: 0] += 1 }
        let best = counts.values.max() ?? 0
        return legendOrder.first { counts[$0] == best } ?? counts.keys.sorted().first { counts[$0] == best } ?? "."
    }

    /// Mean free share (0…1) of the hex digits in `range`, or nil without data.
    static func meanShare(_ digits: [Character], _ range: Range<Int>) -> Double? {
        guard range.upperBound <= digits.count, !range.isEmpty else { return nil }
        let sum = range.reduce(0) { $0 + ($1 < digits.count ? (digits[$1].hexDigitValue ?? 0) : 0) }
        return Double(sum) / Double(range.count) / 15
    }
}

/// The SVG pageblock heatmap of a plain report: every variant's final map of the representative
/// (first) seed, side by side; nil when the runs carry no maps. Written by the caller beside the
/// report and linked through `ReportInput.pageblockHeatmapFile`.
public func renderPageblockHeatmap(_ input: ReportInput) -> String? {
    let model = ReportModel(input)
    let maps = model.variants.compactMap { v -> PageblockHeatmapSVG.Map? in
        guard let run = model.firstRun(v), let map = run.extras?.pageblockMap, !map.isEmpty else { return nil }
        return PageblockHeatmapSVG.Map(variant: v, zones: map, free: run.extras?.pageblockFree ?? [:])
    }
    guard !maps.isEmpty, let seed = model.seeds.first else { return nil }
    return PageblockHeatmapSVG.render(maps, title: input.document.experiment.name + ": pageblocks at the end, seed \(seed)")
}
