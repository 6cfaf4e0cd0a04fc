import BuddyCore
import BuddyYAML

/// `gfp:` — a request's gfp mask in the kernel's names (`GFP_KERNEL | __GFP_HIGH`), on `alloc:`
/// ops and as a mix on `fill:` / `churn:` (`gfp: { GFP_KERNEL: 80%, GFP_NOWAIT: 20% }`, or one
/// mask). The mask fixes the request's type (`gfp_migratetype`), so `type:` / `mix:` may be left
/// out; a `type:` that says otherwise is an error at its line:column.
extension WorkloadDecoder {
    /// One mask at `node`.
    func decodeGFPMask(_ node: YAMLNode) throws(YAMLDecodeError) -> GFPMask {
        let text = try reader.string(node)
        let mask: GFPMask
        do {
            mask = try GFPMask.parse(text)
        } catch {
            switch error {
            case .unknownName(let name):
                throw reader.error("unknown gfp flag '\(name)' (known: \(GFPMask.names.map(\.name).joined(separator: ", ")))", at: node)
            case .empty:
                throw reader.error("empty gfp mask: write flags such as GFP_KERNEL | __GFP_HIGH", at: node)
            }
        }
        guard mask.allocType != nil else {
            throw reader.error("gfp mask '\(text)' sets both __GFP_MOVABLE and __GFP_RECLAIMABLE (no such migratetype)", at: node)
        }
        return mask
    }

    /// The request's type from `type:` and `gfp:`: `type:` alone, the mask's `gfp_migratetype`
    /// alone, or both when they agree.
    func requestType(type typeNode: YAMLNode?, gfp: GFPMask?) throws(YAMLDecodeError) -> AllocType {
        let implied = gfp?.allocType
        // The caller has required `type:` when there is no mask.
        guard let typeNode else { return implied ?? .unmovable }
        let name = try reader.choice(typeNode, from: AllocType.allCases.map(\.name), what: "allocation type")
        let type = AllocType.allCases.first { $0.name == name } ?? .unmovable
        if let implied, let gfp, implied != type {
            throw reader.error("type: \(name) contradicts gfp: \(gfp.description), whose gfp_migratetype is \(implied.name)", at: typeNode)
        }
        return type
    }

    /// `gfp:` of a `fill:` / `churn:`: one mask, or a mapping mask → percentage. nil when absent.
    func decodeGFPMix(_ node: YAMLNode?, mix mixNode: YAMLNode?, _ ctx: String) throws(YAMLDecodeError) -> Distribution<GFPMask>? {
        guard let node else { return nil }
        if let mixNode {
            throw reader.error("mix: cannot be combined with gfp: (each mask's gfp_migratetype is the request's type)", at: mixNode)
        }
        if node.scalar != nil { return .constant(try decodeGFPMask(node)) }
        guard let pairs = node.mapping else {
            throw reader.error("expected a gfp mask or a mapping of mask: percentage, found \(node.foundDescription)", at: node)
        }
        var values: [GFPMask] = []
        var fractions: [Double] = []
        for pair in pairs {
            let mask = try decodeGFPMask(pair.key)
            guard !values.contains(mask) else { throw reader.error("gfp mask \(mask.description) is listed twice", at: pair.key) }
            values.append(mask)
            fractions.append(try reader.percent(pair.value))
        }
        return try distribution(values, fractions, at: node, what: "gfp")
    }
}
