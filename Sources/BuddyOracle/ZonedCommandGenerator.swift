import BuddyCore

/// Seeded random commands for a several-zone kernel (the x86_64 oracle): `CommandGenerator`'s
/// mix — anon mappings, compaction, the near-OOM cycle included — chosen against the model seen
/// as its zonelist (`ZonelistView`), with memory blocks taken offline and brought back online
/// (3 % each while a block is offline / can go offline) and zone-directed allocations (4 %:
/// `alloc … dma|dma32`, Machine+ZoneModifier.swift) drawn in between; with `--hotadd`, the next
/// hidden memory block hot-added (2 %: `hotadd`, `add_memory()`), which the online draw then
/// brings into Normal, growing its span. A one-zone model gets
/// `CommandGenerator`'s commands unchanged.
///
/// Zone-directed allocations: half `dma` (orders 0–6: DMA manages ≈ 3,800 pages), half `dma32`
/// (`CommandGenerator`'s orders), any type, the usual gfp words; a `dma32` request only while
/// DMA32 keeps a third of its present pages free on the model (below that the guest's own
/// GFP_KERNEL requests, which also fall back to DMA32, would meet a drained zone).
///
/// Offline candidates are the blocks inside one zone that are neither its first nor its last
/// block and held no kernel page at import: offlining a zone's edge block makes the kernel shrink
/// the zone's span (`shrink_zone_span`) and onlining it again picks the zone anew
/// (`default_kernel_zone_for_pfn`: a block no kernel zone spans goes to ZONE_NORMAL), neither of
/// which the simulator models; a block with kernel pages the log cannot say are migratable
/// (`touchesKernelPages`). Blocks with the batch's own allocations stay candidates: the kernel
/// refuses them with -EBUSY (`has_unmovable_pages`), which is compared too; not blocks holding
/// anon or LRU pages (`offline_pages` would migrate them: its targets are allocated outside the
/// block inside the command, which the model does not perform). Each zone keeps one block online.
public struct ZonedCommandGenerator {
    public var base: CommandGenerator
    var rng: SplitMix64
    /// Blocks this batch took offline, ascending.
    var offline: [Int] = []

    public init(seed: UInt64) {
        base = CommandGenerator(seed: seed)
        rng = SplitMix64(seed: seed ^ 0x6f66_666c_696e_6521)   // a stream of its own: the base mix stays seed's
    }

    public mutating func generate(count: Int, against model: any KernelModel) -> [OracleCommand] {
        guard let zoned = model as? any ZonedKernelModel, zoned.zoneCount > 1 else {
            return base.generate(count: count, against: model)
        }
        var out: [OracleCommand] = []
        out.reserveCapacity(count)
        let bp = zoned.memoryBlockPages
        let view = ZonelistView(zoned)
        while out.count < count {
            let roll = Int(rng.below(100))
            if roll >= 6, roll < 10, let c = zoneDirected(zoned) {
                _ = model.apply(c)
                out.append(c)
            } else if roll < 3, !offline.isEmpty {
                let b = offline.remove(at: Int(rng.below(UInt64(offline.count))))
                let c = OracleCommand.online(pfn: b * bp, pages: bp)
                if model.apply(c).status != "ok" { offline.append(b); offline.sort() }
                out.append(c)
            } else if roll >= 10, roll < 12, let b = zoned.blocksToHotAdd().first {
                // --hotadd: the next hidden block added (offline), then onlined like the others
                let c = OracleCommand.hotadd(pfn: b * bp, pages: bp)
                if model.apply(c).status == "ok" { offline.append(b); offline.sort() }
                out.append(c)
            } else if roll < 6, let b = candidate(zoned) {
                let c = OracleCommand.offline(pfn: b * bp, pages: bp)
                if model.apply(c).status == "ok" { offline.append(b); offline.sort() }
                out.append(c)
            } else {
                out += base.generate(count: 1, against: view)
            }
        }
        return out
    }

    /// An `alloc … dma` or `alloc … dma32`, or nil when the machine has no such zone or DMA32
    /// is down to a third of its present pages.
    mutating func zoneDirected(_ m: any ZonedKernelModel) -> OracleCommand? {
        let dma = rng.below(2) == 0
        guard let z = m.zoneIndex(named: dma ? "DMA" : "DMA32") else { return nil }
        if !dma, m.nrFreePages(zone: z) * 3 < m.zoneRecord(zone: z).present { return nil }
        let order = dma ? Int(rng.below(7)) : base.randomOrder(m.geometry.maxOrder)
        let type = AllocType.allCases[Int(rng.below(3))]
        return .alloc(order: order, type: type, gfp: base.randomGFP().union(dma ? .dma : .dma32))
    }

    /// A random interior block of a zone that keeps another online block.
    mutating func candidate(_ m: any ZonedKernelModel) -> Int? {
        let bp = m.memoryBlockPages
        var blocks: [Int] = []
        for z in 0..<m.zoneCount {
            let r = m.zoneRange(zone: z)
            let first = (r.lowerBound + bp - 1) / bp, last = r.upperBound / bp - 1   // wholly inside
            guard first + 2 <= last else { continue }
            let inner = (first + 1)...(last - 1)
            let online = (first...last).filter { m.blockOnline(containing: $0 * bp) }
            guard online.count > 1 else { continue }
            blocks += inner.filter { m.blockOnline(containing: $0 * bp) && !m.hasAbsent(($0 * bp)..<(($0 + 1) * bp))
                && !m.touchesKernelPages(($0 * bp)..<(($0 + 1) * bp)) && !m.holdsMigratablePages(($0 * bp)..<(($0 + 1) * bp)) }
        }
        return blocks.isEmpty ? nil : blocks[Int(rng.below(UInt64(blocks.count)))]
    }
}
