/// Pageblock maps as a picture: one heatmap per variant, side by side, one cell per pageblock.
///
/// Colour is the block's migratetype in Okabe–Ito colours chosen to stay apart under the common
/// colour-vision deficiencies at full saturation: unmovable (vermillion, dark) and reclaimable
/// (yellow, light) differ in lightness as well as hue, so they never merge even at 256 blocks.
/// The free share at the end of the run is not mixed into the colour (which made pale unmovable
/// and pale reclaimable cells alike): it is a black bar across the middle of the cell, its length
/// the share of the block's pages that are free, with a scale in the legend. Isolated blocks are
/// hatched, offline blocks an empty grey outline. Zones are stacked top to bottom in kernel
/// order, blocks left to right, `columns` per row; each row is labelled with its first pfn (hex)
/// when the machine geometry is known, else its first block index, and memory-block boundaries
/// (the hotplug unit) are drawn as dark lines.
///
/// Large machines are downsampled, never left out: when all panels together would need more than
/// `maxTotalCells` cells, each cell stands for a run of consecutive blocks (majority type, mean
/// free share) and the title says how many; cells get coarser still if the file would pass
/// `maxBytes`, so it always stays under the 2 MiB a browser or code host shows (a 24 GiB machine × 16 variants drew 13 MB at one cell per block).
enum PageblockHeatmapSVG {
    struct Map: Sendable, Equatable {
        var variant: String
        /// Zone → one character per pageblock (`RunExtras.pageblockMap`).
        var zones: [String: String]
        /// Zone → one hex digit per pageblock (`RunExtras.pageblockFree`); empty: unknown (no bar).
        var free: [String: String]
    }

    static let columns = 32
    static let panelsPerRow = 4
    static let cell = 9.0
    /// Cells over all panels and zones; each about 130–250 bytes (title, free bar,
    /// boundary line); `render` coarsens further past `maxBytes`.
    static let maxTotalCells = 8192
    /// Largest file: under the 2 MiB browsers and code hosts display (`ReportFiles`' cap).
    static let maxBytes = 1_900_000
    /// Width of the pfn labels left of each panel.
    static let axisWidth = 56.0
    static let colours: [Character: (String, String)] = [
        "U": ("#D55E00", "unmovable"), "M": ("#009E73", "movable"), "R": ("#F0E442", "reclaimable"),
        "H": ("#CC79A7", "highatomic"), "C": ("#0072B2", "cma"), "I": ("#999999", "isolate"),
    ]
    static let legendOrder: [Character] = ["U", "M", "R", "H", "C", "I", "."]

    static let caption = "One cell per pageblock (or per run of blocks on large machines: the zone label says how "
        + "many), zones top to bottom, blocks left to right; the left margin gives each row's first pfn. Colour: "
        + "migratetype (legend in the picture); black bar across a cell: share of the block's pages "
        + "free at the end (no bar: none free, full width: all free); hatched: isolated; grey outline: offline; "
        + "black lines on cell edges, reaching past the row: memory-block boundaries. Hover a cell for its blocks, pfn, type and free share."

    /// - Parameter axes: zone → its pfn geometry; zones without one are labelled by block index.
    static func render(_ maps: [Map], title: String, axes: [String: PageblockAxis] = [:]) -> String {
        let zones = PageblockMap.zones(maps.first?.zones ?? [:])
        let blocksPerZone = zones.map { z in maps.map { $0.zones[z]?.count ?? 0 }.max() ?? 0 }
        let total = blocksPerZone.reduce(0, +) * max(1, maps.count)
        // One group size for the whole picture, so every zone and variant is drawn at one scale;
        // coarser until the file fits (cells carry titles, bars and boundary lines of varying size).
        var group = max(1, (total + maxTotalCells - 1) / maxTotalCells)
        var svg = render(maps, title: title, axes: axes, zones: zones, blocksPerZone: blocksPerZone, group: group)
        while svg.utf8.count > maxBytes && group < total {
            group *= 2
            svg = render(maps, title: title, axes: axes, zones: zones, blocksPerZone: blocksPerZone, group: group)
        }
        return svg
    }

    private static func render(_ maps: [Map], title: String, axes: [String: PageblockAxis], zones: [String],
                               blocksPerZone: [Int], group: Int) -> String {
        let layout = zip(zones, blocksPerZone).map { z, blocks in (zone: z, rows: ((blocks + group - 1) / group + columns - 1) / columns) }
        let panelW = axisWidth + Double(columns) * cell + 16
        let zoneGap = 28.0
        let panelH = layout.reduce(0) { $0 + Double($1.rows) * cell + zoneGap }
        let top = 96.0
        let perRow = min(maps.count, panelsPerRow)
        let rows = (maps.count + perRow - 1) / max(1, perRow)
        let rowH = panelH + 30
        let width = max(Double(perRow) * panelW + 20, 560)
        var svg = SVGWriter(width: width, height: top + Double(rows) * rowH + 10)
        svg.raw("<defs><pattern id=\"hatch\" width=\"3\" height=\"3\" patternUnits=\"userSpaceOnUse\" "
                + "patternTransform=\"rotate(45)\"><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"3\" stroke=\"#000000\" "
                + "stroke-width=\"1\"/></pattern></defs>")
        svg.text(10, 18, title + (group > 1 ? " (\(group) pageblocks per cell)" : ""), size: 13, bold: true)
        legend(&svg)
        for (m, map) in maps.enumerated() {
            let ox = 10 + Double(m % perRow) * panelW + axisWidth
            let oy = top + Double(m / perRow) * rowH
            svg.text(ox, oy - 4, map.variant, bold: true)
            var y = oy + 14
            for entry in layout {
                let blocks = Array(map.zones[entry.zone] ?? "")
                let free = Array(map.free[entry.zone] ?? "")
                let axis = axes[entry.zone]
                var label = entry.zone
                if let axis {
                    label += ", memory block = \(axis.blocksPerMemoryBlock) blocks"
                    if axis.blocksPerMemoryBlock <= group { label += " (not drawn: smaller than a cell)" }
                }
                svg.text(ox, y - 3, label, size: 10)
                zone(&svg, blocks: blocks, free: free, axis: axis, group: group, x: ox, y: y)
                y += Double(entry.rows) * cell + zoneGap
            }
        }
        return svg.document
    }

    /// The cells of one zone of one variant, with its pfn labels and memory-block lines.
    private static func zone(_ svg: inout SVGWriter, blocks: [Character], free: [Character], axis: PageblockAxis?,
                             group: Int, x ox: Double, y oy: Double) {
        let cells = (blocks.count + group - 1) / group
        let rowCount = (cells + columns - 1) / columns
        let labelEvery = max(1, (rowCount + 15) / 16)
        for r in stride(from: 0, to: rowCount, by: labelEvery) {
            let first = r * columns * group
            let text = axis.map { "0x" + String($0.pfn(ofBlock: first), radix: 16) } ?? "block \(first)"
            svg.text(ox - 4, oy + Double(r) * cell + cell - 1, text, anchor: .end, size: 8)
        }
        for i in 0..<cells {
            let range = (i * group)..<min(blocks.count, (i + 1) * group)
            let type = majority(blocks[range])
            let share = meanShare(free, range)
            let x = ox + Double(i % columns) * cell, y = oy + Double(i / columns) * cell
            let label = cellLabel(range, type: type, share: share, axis: axis)
            if type == "." {
                svg.rect(x + 0.5, y + 0.5, cell - 1, cell - 1, fill: "#ffffff", stroke: "#999999", title: label)
            } else {
                svg.rect(x, y, cell - 0.5, cell - 0.5, fill: colours[type]?.0 ?? "#000000", title: label)
                if type == "I" { svg.rect(x, y, cell - 0.5, cell - 0.5, fill: "url(#hatch)") }
                // A bar under half a pixel would not show; leaving it out keeps large files small.
                // Across the middle of the cell, so it never touches a memory-block line on an edge.
                if let share, (cell - 0.5) * share >= 0.5 { svg.rect(x, y + 3.25, (cell - 0.5) * share, 2, fill: "#000000") }
            }
            // A memory block starts inside this cell's range (not at the zone's first block).
            // Only where a memory block spans more than a cell: else every cell would hold one.
            if let axis, i > 0, axis.blocksPerMemoryBlock > group, range.contains(where: { axis.startsMemoryBlock($0) }) {
                // Edges of the cells, reaching past them (into the pfn margin, above and below the
                // row) so they read as boundaries, not as a cell's free bar.
                if i % columns == 0 {
                    svg.line(x - 10, y - 0.25, x + Double(columns) * cell + 4, y - 0.25, stroke: "#000000", width: 1.5)
                } else {
                    svg.line(x - 0.25, y - 2.5, x - 0.25, y + cell + 2, stroke: "#000000", width: 1.5)
                }
            }
        }
    }

    /// Type swatches, offline, the free-share scale and the memory-block line.
    private static func legend(_ svg: inout SVGWriter) {
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
        svg.text(10, 58, "free share:", size: 10)
        var sx = 72.0
        for share in [0.0, 0.25, 0.5, 0.75, 1.0] {
            svg.rect(sx, 49, cell * 2, cell * 2, fill: "#009E73")
            if share > 0 { svg.rect(sx, 49 + cell - 2, cell * 2 * share, 4, fill: "#000000") }
            svg.text(sx + cell, 49 + cell * 2 + 9, NumberFormat.fixed(share * 100, 0) + "%", anchor: .middle, size: 8)
            sx += cell * 2 + 14
        }
        svg.line(sx + 10, 46, sx + 10, 52 + cell * 2, stroke: "#000000", width: 1.5)
        svg.text(sx + 16, 62, "memory-block boundary", size: 10)
    }

    /// The hover text of a cell: `block 12 (pfn 0x1800): movable, free 40%`.
    static func cellLabel(_ range: Range<Int>, type: Character, share: Double?, axis: PageblockAxis? = nil) -> String {
        var label = "block \(range.lowerBound)"
        if range.count > 1 { label += "–\(range.upperBound - 1)" }
        if let axis { label += " (pfn 0x" + String(axis.pfn(ofBlock: range.lowerBound), radix: 16) + ")" }
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

/// Where a zone's pageblocks sit in physical memory: the pfn of its first block, the pages per
/// block, and the memory-block (hotplug unit) grid, numbered from `ram_start`.
public struct PageblockAxis: Sendable, Equatable {
    public var zoneStartPfn: Int
    public var pagesPerBlock: Int
    public var ramStartPfn: Int
    public var memoryBlockPages: Int
    public init(zoneStartPfn: Int, pagesPerBlock: Int, ramStartPfn: Int, memoryBlockPages: Int) {
        self.zoneStartPfn = zoneStartPfn; self.pagesPerBlock = pagesPerBlock
        self.ramStartPfn = ramStartPfn; self.memoryBlockPages = memoryBlockPages
    }

    /// The first pfn of the zone's `i`-th pageblock (as `Machine.pageblockMap` walks them).
    func pfn(ofBlock i: Int) -> Int { zoneStartPfn + i * pagesPerBlock }

    var blocksPerMemoryBlock: Int { max(1, memoryBlockPages / max(1, pagesPerBlock)) }

    func startsMemoryBlock(_ i: Int) -> Bool {
        memoryBlockPages > 0 && (pfn(ofBlock: i) - ramStartPfn) % memoryBlockPages == 0
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
    return PageblockHeatmapSVG.render(maps, title: input.document.experiment.name + ": pageblocks at the end, seed \(seed)",
                                      axes: input.pageblockAxes)
}
