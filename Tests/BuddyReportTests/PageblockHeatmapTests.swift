import Foundation
import Testing
@testable import BuddyReport

/// The SVG pageblock heatmap: a palette that keeps unmovable and reclaimable apart, free share
/// as a bar with a scale (not mixed into the colour), a pfn axis, memory-block boundaries, and
/// large machines downsampled instead of dropped.
@Suite struct PageblockHeatmapTests {
    /// WCAG relative luminance of `#RRGGBB`.
    static func luminance(_ hex: String) -> Double {
        let v = Int(hex.dropFirst(), radix: 16) ?? 0
        func channel(_ c: Int) -> Double {
            let s = Double(c) / 255
            return s <= 0.03928 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * channel(v >> 16) + 0.7152 * channel((v >> 8) & 0xff) + 0.0722 * channel(v & 0xff)
    }

    /// Unmovable and reclaimable must differ in lightness, not only in hue (vermillion and
    /// orange, the old pair, are one brownish yellow to a deuteranope: contrast 1.6). Every type
    /// keeps its own colour, at full saturation.
    @Test func unmovableAndReclaimableDifferInLightness() throws {
        let u = try #require(PageblockHeatmapSVG.colours["U"]?.0)
        let r = try #require(PageblockHeatmapSVG.colours["R"]?.0)
        let (hi, lo) = (max(Self.luminance(u), Self.luminance(r)), min(Self.luminance(u), Self.luminance(r)))
        #expect((hi + 0.05) / (lo + 0.05) >= 2.5)
        let all = PageblockHeatmapSVG.colours.values.map(\.0)
        #expect(Set(all).count == all.count)
        let svg = PageblockHeatmapSVG.render([.init(variant: "v", zones: ["Normal": "UR"], free: ["Normal": "0f"])], title: "t")
        #expect(!svg.contains("fill-opacity"))
    }

    /// A 512 MiB zone at 1 GiB (pfn 0x40000), 2 MiB blocks, 128 MiB memory blocks: rows of 32
    /// blocks labelled 0x40000, 0x44000, …; a memory block every 64 blocks = every second row,
    /// so three boundary lines across the row (blocks 64, 128, 192); the fully free block has a
    /// full-width bar, the allocated one none.
    @Test func pfnAxisMemoryBlocksAndFreeBars() {
        let axis = PageblockAxis(zoneStartPfn: 0x40000, pagesPerBlock: 512, ramStartPfn: 0, memoryBlockPages: 32768)
        let map = PageblockHeatmapSVG.Map(variant: "v", zones: ["Normal": String(repeating: "M", count: 256)],
                                          free: ["Normal": "f" + String(repeating: "0", count: 255)])
        let svg = PageblockHeatmapSVG.render([map], title: "t", axes: ["Normal": axis])
        for r in 0..<8 { #expect(svg.contains(">0x" + String(0x40000 + r * 0x4000, radix: 16) + "</text>"), "row \(r)") }
        #expect(svg.contains(">Normal, memory block = 64 blocks</text>"))
        let rowLines = svg.split(separator: "\n").filter { $0.hasPrefix("<line") && $0.contains("stroke=\"#000000\"") }
            .filter { line in
                let x1 = Double(line.firstMatch(of: /x1="([0-9.]+)"/)?.1 ?? "") ?? 0
                let x2 = Double(line.firstMatch(of: /x2="([0-9.]+)"/)?.1 ?? "") ?? 0
                return x2 - x1 == 32 * PageblockHeatmapSVG.cell + 14
            }
        #expect(rowLines.count == 3)
        #expect(svg.contains("<title>block 0 (pfn 0x40000): movable, free 100%</title>"))
        #expect(svg.contains("<title>block 1 (pfn 0x40200): movable, free 0%</title>"))
        // One free bar in the map (block 0), full cell width (the legend's four are 4 high).
        let bars = svg.split(separator: "\n").filter { $0.contains("height=\"2.0\" fill=\"#000000\"") }
        #expect(bars.count == 1 && bars[0].contains("width=\"8.5\""))
    }

    /// 24 GiB of 2 MiB pageblocks (12,288) × 16 variants: drawn at 24 blocks per cell, under
    /// the 2 MiB a browser shows, instead of being left out.
    @Test func largeMachinesAreDownsampledNotDropped() {
        let blocks = 12_288
        let maps = (0..<16).map { v in
            PageblockHeatmapSVG.Map(variant: "variant-\(v)",
                                    zones: ["Normal": String(repeating: "UMRM", count: blocks / 4)],
                                    free: ["Normal": String(repeating: "3", count: blocks)])
        }
        let svg = PageblockHeatmapSVG.render(maps, title: "big")
        #expect(svg.utf8.count < 2 << 20)
        #expect(svg.contains(">big (24 pageblocks per cell)</text>"))
        #expect(svg.contains("<title>block 12264–12287: movable, free 20%</title>"))
    }

    /// The shape of `proc-6-18` (a real 24 GiB machine: DMA 8, DMA32 2040, Normal 10752
    /// pageblocks, 16 MiB memory blocks) × 16 variants, with pfn axes and free bars in every
    /// cell: still under `maxBytes`.
    @Test func realMachineShapeFitsUnderTheCap() {
        let zones = [("DMA", 8, 0x0), ("DMA32", 2040, 0x1000), ("Normal", 10752, 0x100000)]
        let maps = (0..<16).map { v in
            PageblockHeatmapSVG.Map(variant: "linux-\(v)",
                                    zones: Dictionary(uniqueKeysWithValues: zones.map { ($0.0, String(repeating: "MUMR", count: $0.1 / 4)) }),
                                    free: Dictionary(uniqueKeysWithValues: zones.map { ($0.0, String(repeating: "9f", count: $0.1 / 2)) }))
        }
        let axes = Dictionary(uniqueKeysWithValues: zones.map {
            ($0.0, PageblockAxis(zoneStartPfn: $0.2, pagesPerBlock: 512, ramStartPfn: 0, memoryBlockPages: 4096))
        })
        let svg = PageblockHeatmapSVG.render(maps, title: "proc", axes: axes)
        #expect(svg.utf8.count <= PageblockHeatmapSVG.maxBytes)
        #expect(svg.contains(">0x100000</text>"))
        // 8 blocks per memory block (the capture's 16 MiB) is less than a cell: no line in every
        // cell (only the legend's), a note instead.
        #expect(svg.contains(">Normal, memory block = 8 blocks (not drawn: smaller than a cell)</text>"))
        #expect(svg.components(separatedBy: "stroke-width=\"1.5\"").count - 1 == 1)
        #expect(svg.contains("pageblocks per cell)</text>"))
    }
}
