import BuddyCore

/// Seeded random command sequences for the lockstep test, chosen against a model of the current
/// state so that they are valid: frees name live handles, unisolations name isolated ranges,
/// contiguous ranges lie inside the zone (half of them on a free max-order block, where they
/// can succeed), allocations stop while less than `lowWater` of the zone is free. Contiguous
/// ranges and isolations avoid pageblocks that held kernel pages at import (the log cannot say
/// which of those the kernel could migrate: `KernelModel.touchesKernelPages`).
///
/// The mix: allocations of orders 0–10 of all three types, frees, `alloc_contig_range` at
/// pageblock and at max-order granularity, isolate / unisolate (plain and memory-offline), CMA
/// alloc (with release through `free`), drains and watermark checks. Every fourth stretch of
/// `pressureEvery` commands is a pressure phase: high-order allocations without the low-water
/// pause, until allocations fail and watermark checks say `fail`.
public struct CommandGenerator {
    var rng: SplitMix64
    /// Isolated ranges not yet undone (pfn, pages).
    var isolated: [(Int, Int)] = []
    /// Keep at least this fraction of the zone free (allocations pause below it).
    public var lowWater = 0.35
    /// Length of a phase; phases cycle normal, normal, normal, pressure.
    public var pressureEvery = 200
    var generated = 0

    public init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    mutating func below(_ n: Int) -> Int { Int(rng.below(UInt64(max(n, 1)))) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }

    /// `count` commands, each applied to `model` as it is chosen.
    public mutating func generate(count: Int, against model: any KernelModel) -> [OracleCommand] {
        var out: [OracleCommand] = []
        out.reserveCapacity(count)
        while out.count < count {
            let c = (generated / pressureEvery) % 4 == 3 ? nextUnderPressure(model) : next(model)
            generated += 1
            _ = model.apply(c)
            if case let .isolate(pfn, pages, _) = c { isolated.append((pfn, pages)) }
            out.append(c)
        }
        return out
    }

    mutating func next(_ model: any KernelModel) -> OracleCommand {
        let g = model.geometry
        let zone = model.zoneRange
        let live = model.liveHandles
        let scarce = Double(model.nrFreePages) < lowWater * Double(zone.count)
        let roll = below(100)
        switch roll {
        case 0..<42 where !scarce:
            return .alloc(order: randomOrder(g.maxOrder), type: AllocType.allCases[below(3)])
        case 0..<72 where !live.isEmpty:
            return .free(handle: live[below(live.count)])
        case 72..<80:
            for _ in 0..<8 {
                let c = contigCandidate(model)
                if case let .contig(pfn, pages) = c, !model.touchesKernelPages(pfn..<(pfn + pages)) { return c }
            }
            return .drain
        case 80..<85 where isolated.count < 3:
            let pages = g.pageblockPages * (1 + below(4))
            for _ in 0..<8 {
                let pfn = alignedPfn(in: zone, unit: g.pageblockPages, span: pages)
                if !model.touchesKernelPages(pfn..<(pfn + pages)) { return .isolate(pfn: pfn, pages: pages, offline: chance(30)) }
            }
            return .drain
        case 80..<89 where !isolated.isEmpty:
            let (pfn, pages) = isolated.remove(at: below(isolated.count))
            return .unisolate(pfn: pfn, pages: pages)
        case 89..<94 where model.cmaArea != nil:
            let counts = [1, 8, 64, 512, 1024]
            return .cmaAlloc(count: counts[below(counts.count)], alignOrder: [0, 3, g.pageblockOrder][below(3)])
        case 94..<97:
            return .watermark(mark: below(3), order: below(g.maxOrder + 1))
        default:
            return .drain
        }
    }

    /// A contiguous range at pageblock or max-order granularity: half of them on a free
    /// max-order block, some with an unaligned start.
    mutating func contigCandidate(_ model: any KernelModel) -> OracleCommand {
        let g = model.geometry
        let zone = model.zoneRange
        do {
            let maxOrderUnit = chance(50)
            let pages = maxOrderUnit ? g.maxOrderPages : g.pageblockPages
            let blocks = model.freeMaxOrderBlocks.filter { model.cmaArea?.contains($0) != true }
            var pfn: Int
            if chance(50), !blocks.isEmpty {
                pfn = blocks[below(blocks.count)] + (maxOrderUnit ? 0 : g.pageblockPages * below(2))
            } else {
                pfn = alignedPfn(in: zone, unit: pages)
            }
            if chance(15) { pfn += below(pages / 2) }          // an unaligned start: boundary handling
            pfn = min(pfn, zone.upperBound - pages)
            return .contig(pfn: pfn, pages: pages)
        }
    }

    /// Pressure: mostly large allocations (orders max−2…max, all types), some small ones,
    /// watermark checks and frees.
    mutating func nextUnderPressure(_ model: any KernelModel) -> OracleCommand {
        let g = model.geometry
        let r = below(100)
        if r < 80 { return .alloc(order: g.maxOrder - below(3), type: AllocType.allCases[below(3)]) }
        if r < 90 { return .watermark(mark: below(3), order: below(g.maxOrder + 1)) }
        let live = model.liveHandles
        if r < 93, !live.isEmpty { return .free(handle: live[below(live.count)]) }
        return .alloc(order: below(3), type: AllocType.allCases[below(3)])
    }

    /// Orders 0–10 weighted towards the small ones: 40 % order 0, 30 % 1–3, 20 % 4–8, 10 % 9–max.
    mutating func randomOrder(_ maxOrder: Int) -> Int {
        let r = below(100)
        if r < 40 { return 0 }
        if r < 70 { return 1 + below(3) }
        if r < 90 { return 4 + below(5) }
        return min(9 + below(maxOrder - 8), maxOrder)
    }

    /// A `unit`-aligned pfn inside `zone` with `span` pages after it in the zone.
    mutating func alignedPfn(in zone: Range<Int>, unit: Int, span: Int? = nil) -> Int {
        let first = (zone.lowerBound + unit - 1) / unit * unit
        let last = (zone.upperBound - (span ?? unit)) / unit * unit
        guard last >= first else { return first }
        return first + unit * below((last - first) / unit + 1)
    }
}
