import BuddyCore

/// Seeded random commands for a several-zone kernel (the x86_64 oracle): `CommandGenerator`'s
/// mix, chosen against the same model, with memory blocks taken offline and brought back online
/// drawn in between (3 % each while a block is offline / can go offline). A one-zone model gets
/// `CommandGenerator`'s commands unchanged.
///
/// Offline candidates are the blocks inside one zone that are neither its first nor its last
/// block and held no kernel page at import: offlining a zone's edge block makes the kernel shrink
/// the zone's span (`shrink_zone_span`) and onlining it again picks the zone anew
/// (`default_kernel_zone_for_pfn`: a block no kernel zone spans goes to ZONE_NORMAL), neither of
/// which the simulator models; a block with kernel pages the log cannot say are migratable
/// (`touchesKernelPages`). Blocks with the batch's own allocations stay candidates: the kernel
/// refuses them with -EBUSY (`has_unmovable_pages`), which is compared too. Each zone keeps one
/// block online.
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
        while out.count < count {
            let roll = Int(rng.below(100))
            if roll < 3, !offline.isEmpty {
                let b = offline.remove(at: Int(rng.below(UInt64(offline.count))))
                let c = OracleCommand.online(pfn: b * bp, pages: bp)
                if model.apply(c).status != "ok" { offline.append(b); offline.sort() }
                out.append(c)
            } else if roll < 6, let b = candidate(zoned) {
                let c = OracleCommand.offline(pfn: b * bp, pages: bp)
                if model.apply(c).status == "ok" { offline.append(b); offline.sort() }
                out.append(c)
            } else {
                out += base.generate(count: 1, against: model)
            }
        }
        return out
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
                && !m.touchesKernelPages(($0 * bp)..<(($0 + 1) * bp)) }
        }
        return blocks.isEmpty ? nil : blocks[Int(rng.below(UInt64(blocks.count)))]
    }
}
