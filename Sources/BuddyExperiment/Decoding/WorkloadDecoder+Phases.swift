import BuddyCore
import BuddyYAML

/// `fill:`, `churn:` and `contig:`, with the `mix:` and `orders:` distributions they share.
extension WorkloadDecoder {
    func decodeFill(_ value: YAMLNode, _ ctx: String) throws(YAMLDecodeError) -> (WorkloadPhase, Int) {
        let m = try reader.mapping(value, context: ctx).allowing(["until", "mix", "orders", "zone", "gfp"])
        let until = try reader.percent(m.required("until"))
        var zone: Int?
        if let n = m.optional("zone") { zone = try zoneIndex(n) }
        let mix = try decodeMix(m.optional("mix"), ctx)
        let gfp = try decodeGFPMix(m.optional("gfp"), mix: m.optional("mix"), ctx)
        let orders = try decodeOrders(m.optional("orders"))
        let scope = zone.map { layout.zones[$0].presentPages } ?? layout.presentPages
        // Integer ceiling of until × scope, via parts per million (no float at a boundary).
        let perMillion = Int((until * 1_000_000).rounded())
        let target = (scope * perMillion + 999_999) / 1_000_000
        let smallest = Int(orders.values.min() ?? 0)
        let bound = (target + (1 << smallest) - 1) >> smallest
        return (.fill(FillPhase(targetPages: target, zone: zone, mix: mix, orders: orders, gfp: gfp)), bound)
    }

    func decodeChurn(_ value: YAMLNode, _ ctx: String) throws(YAMLDecodeError) -> (WorkloadPhase, Int) {
        let m = try reader.mapping(value, context: ctx).allowing(["events", "mix", "orders", "free_ratio", "zone", "gfp"])
        let events = try reader.int(m.required("events"), in: 1...Experiment.maxEvents)
        var ratio = 0.5
        if let n = m.optional("free_ratio") { ratio = try reader.percent(n) }
        var zone: Int?
        if let n = m.optional("zone") { zone = try zoneIndex(n) }
        let mix = try decodeMix(m.optional("mix"), ctx)
        let gfp = try decodeGFPMix(m.optional("gfp"), mix: m.optional("mix"), ctx)
        let orders = try decodeOrders(m.optional("orders"))
        let phase = ChurnPhase(events: events, freePerMillion: UInt64((ratio * 1_000_000).rounded()),
                               zone: zone, mix: mix, orders: orders, gfp: gfp)
        return (.churn(phase), events)
    }

    /// `contig: { count, size, zone?, hold? }`: candidate starts are the `alignment`-aligned pfns
    /// whose whole range lies inside one zone (of the given zone, or of any zone).
    func decodeContig(_ value: YAMLNode, _ ctx: String) throws(YAMLDecodeError) -> (WorkloadPhase, Int) {
        let m = try reader.mapping(value, context: ctx).allowing(["count", "size", "zone", "hold"])
        let count = try reader.int(m.required("count"), in: 1...Experiment.maxEvents)
        let sizeNode = try m.required("size")
        let pages = try units.pages(sizeNode, what: "size")
        var zone: Int?
        if let n = m.optional("zone") { zone = try zoneIndex(n) }
        var hold = false
        if let n = m.optional("hold") { hold = try reader.bool(n) }
        var alignment = layout.geometry.pageblockPages
        while alignment < pages { alignment <<= 1 }
        var slots: [ContigSlots] = []
        for z in zone.map({ [$0] }) ?? Array(layout.zones.indices) {
            let lo = layout.zoneStart(z), hi = lo + layout.zones[z].pages
            let first = (lo + alignment - 1) / alignment * alignment
            if first + pages <= hi { slots.append(ContigSlots(firstStart: first, count: (hi - pages - first) / alignment + 1)) }
        }
        guard !slots.isEmpty else {
            let scope = zone.map { "zone \(layout.zones[$0].name)" } ?? "any zone"
            throw reader.error("size \(ByteFormat.string(pages * layout.geometry.pageSize)) does not fit at a "
                               + "\(alignment)-page aligned position inside \(scope)", at: sizeNode)
        }
        let phase = ContigPhase(count: count, pages: pages, alignment: alignment, slots: slots, hold: hold)
        return (.contig(phase), count + 1)
    }

    /// `mix: { movable: 70%, unmovable: 20%, reclaimable: 10% }` (default: all movable).
    func decodeMix(_ node: YAMLNode?, _ ctx: String) throws(YAMLDecodeError) -> Distribution<AllocType> {
        guard let node else { return .constant(.movable) }
        let names = AllocType.allCases.map(\.name)
        let m = try reader.mapping(node, context: "\(ctx).mix").allowing(names)
        var values: [AllocType] = []
        var fractions: [Double] = []
        for entry in m.entries {
            guard let type = AllocType.allCases.first(where: { $0.name == entry.key }) else { continue }
            values.append(type)
            fractions.append(try reader.percent(entry.value))
        }
        return try distribution(values, fractions, at: node, what: "mix")
    }

    /// `orders: { 0: 90%, 3: 8%, 9: 2% }` (default: order 0 only). Keys are orders `0...max_order`.
    func decodeOrders(_ node: YAMLNode?) throws(YAMLDecodeError) -> Distribution<UInt8> {
        guard let node else { return .constant(0) }
        guard let pairs = node.mapping else {
            throw reader.error("expected a mapping of order: percentage, found \(node.foundDescription)", at: node)
        }
        var values: [UInt8] = []
        var fractions: [Double] = []
        for pair in pairs {
            let order = try reader.int(pair.key, in: 0...layout.geometry.maxOrder)
            guard !values.contains(UInt8(order)) else { throw reader.error("order \(order) is listed twice", at: pair.key) }
            values.append(UInt8(order))
            fractions.append(try reader.percent(pair.value))
        }
        return try distribution(values, fractions, at: node, what: "orders")
    }

    /// Checks that the percentages sum to 100% and converts them to parts per million.
    func distribution<T>(_ values: [T], _ fractions: [Double], at node: YAMLNode,
                                 what: String) throws(YAMLDecodeError) -> Distribution<T> {
        let sum = fractions.reduce(0, +)
        guard abs(sum - 1) < 1e-9 else {
            throw reader.error("\(what) percentages sum to \(Self.percentText(sum)), expected 100%", at: node)
        }
        var kept: [T] = []
        var weights: [UInt64] = []
        for (value, fraction) in zip(values, fractions) where fraction > 0 {
            kept.append(value)
            weights.append(UInt64((fraction * 1_000_000).rounded()))
        }
        return Distribution(values: kept, weights: weights)
    }

    static func percentText(_ fraction: Double) -> String {
        let tenths = Int((fraction * 1000).rounded())
        return tenths % 10 == 0 ? "\(tenths / 10)%" : "\(tenths / 10).\(tenths % 10)%"
    }
}
