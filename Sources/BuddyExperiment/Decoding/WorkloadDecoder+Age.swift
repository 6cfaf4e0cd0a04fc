import BuddyCore
import BuddyYAML

/// `age: { steps, classes: { page_cache, anon, slab, kernel, highorder }, thp? }` (issue 23).
/// Defaults (docs/aging.md says why): page cache and anon are order 0, GFP_HIGHUSER_MOVABLE;
/// anon with `thp: always` is one order-HPAGE_PMD_ORDER request per THP with
/// GFP_TRANSHUGE_LIGHT (defrag `madvise`, the default, on a region not madvised) or
/// GFP_TRANSHUGE (`thp_defrag: always`); slab orders 0–3 (slub_max_order), GFP_KERNEL with
/// __GFP_RECLAIMABLE for the `reclaimable:` share; kernel order 0, GFP_KERNEL.
extension WorkloadDecoder {
    static let ageClassNames = ["page_cache", "anon", "slab", "kernel", "highorder"]

    func decodeAge(_ value: YAMLNode, _ ctx: String) throws(YAMLDecodeError) -> (WorkloadPhase, Int) {
        let m = try reader.mapping(value, context: ctx).allowing(["steps", "classes", "thp", "thp_defrag"])
        let steps = try reader.int(m.required("steps"), in: 1...Experiment.maxEvents / 2)
        var thp = false
        if let n = m.optional("thp") { thp = try reader.choice(n, from: ["always", "never"], what: "thp mode") == "always" }
        var defragAlways = false
        if let n = m.optional("thp_defrag") {
            defragAlways = try reader.choice(n, from: ["always", "madvise"], what: "thp_defrag mode") == "always"
        }
        // HPAGE_PMD_ORDER = PMD_SHIFT − PAGE_SHIFT: a page of 8-byte entries maps pageSize/8 pages.
        let pmdOrder = layout.geometry.pageShift - 3
        if thp, pmdOrder > layout.geometry.maxOrder, let n = m.optional("thp") {
            throw reader.error("thp: always needs order-\(pmdOrder) pages (HPAGE_PMD_ORDER) but max_order is "
                               + "\(layout.geometry.maxOrder)", at: n)
        }
        let classesNode = try m.required("classes")
        let cm = try reader.mapping(classesNode, context: "\(ctx).classes").allowing(Self.ageClassNames)
        var classes: [AgeClass] = []
        var indices: [Int] = []
        var fractions: [Double] = []
        for entry in cm.entries {
            let cctx = "\(ctx).classes.\(entry.key)"
            let (c, share) = try decodeAgeClass(entry.key, entry.value, cctx, thp: thp, pmdOrder: pmdOrder,
                                                defragAlways: defragAlways)
            indices.append(classes.count)
            classes.append(c)
            fractions.append(share)
        }
        guard !classes.isEmpty else { throw reader.error("classes must name at least one class", at: classesNode) }
        let pick = try distribution(indices, fractions, at: classesNode, what: "class share")
        // Every step allocates once and frees at most once; plus the phase-end sample.
        return (.age(AgePhase(steps: steps, pick: pick, classes: classes)), 2 * steps + 1)
    }

    private func decodeAgeClass(_ name: String, _ node: YAMLNode, _ ctx: String, thp: Bool, pmdOrder: Int,
                                defragAlways: Bool) throws(YAMLDecodeError) -> (AgeClass, Double) {
        var keys = ["share", "lifetime", "orders"]
        if name == "slab" { keys.append("reclaimable") }
        if name == "highorder" { keys = ["share", "lifetime", "order", "gfp"] }
        let m = try reader.mapping(node, context: ctx).allowing(keys)
        let share = try reader.percent(m.required("share"))
        let defaultLifetime: Lifetime = name == "highorder" ? .fixed(1000) : .untilPressure
        let lifetime = try m.optional("lifetime").map { n throws(YAMLDecodeError) in try decodeLifetime(n) } ?? defaultLifetime
        switch name {
        case "page_cache":
            return (AgeClass(name: name, pageClass: .pageCache, orders: try decodeOrders(m.optional("orders")),
                             gfp: .highuserMovable, lifetime: lifetime), share)
        case "anon":
            if thp {
                if let n = m.optional("orders") {
                    throw reader.error("anon orders are set by thp: always (order \(pmdOrder), HPAGE_PMD_ORDER)", at: n)
                }
                return (AgeClass(name: name, pageClass: .anon, orders: .constant(UInt8(pmdOrder)),
                                 gfp: defragAlways ? .transhuge : .transhugeLight, lifetime: lifetime), share)
            }
            return (AgeClass(name: name, pageClass: .anon, orders: try decodeOrders(m.optional("orders")),
                             gfp: .highuserMovable, lifetime: lifetime), share)
        case "slab":
            var orders = Distribution<UInt8>(values: [0, 1, 2, 3], weights: [600_000, 200_000, 100_000, 100_000])
            if let n = m.optional("orders") {
                orders = try decodeOrders(n)
                if let big = orders.values.first(where: { $0 > 3 }) {
                    throw reader.error("slab order \(big) is above slub_max_order (3)", at: n)
                }
            }
            var reclaimable = 0.5
            if let n = m.optional("reclaimable") { reclaimable = try reader.percent(n) }
            return (AgeClass(name: name, pageClass: .slabUnmovable, orders: orders, gfp: .kernel,
                             reclaimablePerMillion: UInt64((reclaimable * 1_000_000).rounded()), lifetime: lifetime), share)
        case "kernel":
            return (AgeClass(name: name, pageClass: .kernel, orders: try decodeOrders(m.optional("orders")),
                             gfp: .kernel, lifetime: lifetime), share)
        default:   // highorder
            let order = try reader.int(m.required("order"), in: 1...layout.geometry.maxOrder)
            var gfp: GFPMask = [.highuserMovable, .retryMayfail]
            if let n = m.optional("gfp") { gfp = try decodeGFPMask(n) }
            return (AgeClass(name: name, pageClass: .highOrder, orders: .constant(UInt8(order)), gfp: gfp,
                             lifetime: lifetime), share)
        }
    }

    /// `until_pressure` | `{ fixed: N }` | `{ exponential: MEAN }` | `{ pareto: { scale: N, shape: A } }`.
    func decodeLifetime(_ node: YAMLNode) throws(YAMLDecodeError) -> Lifetime {
        if node.scalar != nil {
            _ = try reader.choice(node, from: ["until_pressure"], what: "lifetime")
            return .untilPressure
        }
        let m = try reader.mapping(node, context: "lifetime")
        let (kind, value) = try m.singleEntry(of: ["fixed", "exponential", "pareto"])
        switch kind {
        case "fixed": return .fixed(try reader.int(value, in: 1...Experiment.maxEvents))
        case "exponential": return .exponential(mean: try reader.int(value, in: 1...Experiment.maxEvents))
        default:
            let p = try reader.mapping(value, context: "lifetime.pareto").allowing(["scale", "shape"])
            let scale = try reader.int(p.required("scale"), in: 1...Experiment.maxEvents)
            let shape = try reader.double(p.required("shape"), in: 0.1...100)
            return .pareto(scale: scale, shape: shape)
        }
    }
}
