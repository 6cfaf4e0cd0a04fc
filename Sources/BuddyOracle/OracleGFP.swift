import BuddyCore

/// The gfp words an oracle `alloc` may add to the driver's base mask (`scripts/oracle/PROTOCOL.md`):
/// only bits whose effect depends on the buddy state alone — never a reclaim bit, so the kernel
/// never reclaims, compacts or wakes kswapd for a driver request and the lockstep stays exact.
public struct OracleGFP: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    /// `__GFP_HIGH`: ALLOC_MIN_RESERVE; with order > 0, ALLOC_HIGHATOMIC (the reserve is used and,
    /// on success, a HIGHATOMIC pageblock reserved — `reserve_highatomic_pageblock`).
    public static let high = OracleGFP(rawValue: 1)
    /// `__GFP_COMP`: a compound page (its tails count for `has_unmovable_pages` and the claim).
    public static let comp = OracleGFP(rawValue: 2)

    /// `__GFP_DMA` (x86_64): `gfp_zone()` is ZONE_DMA — the zonelist starts at DMA
    /// (Machine+ZoneModifier.swift). On a machine without a zone named DMA the kernel has no
    /// CONFIG_ZONE_DMA and the bit means ZONE_NORMAL (`OPT_ZONE_DMA`): the ordinary zonelist.
    public static let dma = OracleGFP(rawValue: 4)
    /// `__GFP_DMA32` (x86_64): the zonelist starts at DMA32; as `dma` without such a zone.
    public static let dma32 = OracleGFP(rawValue: 8)

    /// In the driver's order (`bl_cmd_text`: high, comp, dma, dma32).
    static let words: [(String, OracleGFP)] = [("high", .high), ("comp", .comp), ("dma", .dma), ("dma32", .dma32)]

    /// `high,comp` (the command-file spelling), empty for none.
    public var text: String { Self.words.filter { contains($0.1) }.map(\.0).joined(separator: ",") }

    /// Parses the comma-separated words of a command's fourth token.
    static func parse(_ token: Substring) throws(OracleParseProblem) -> OracleGFP {
        var g: OracleGFP = []
        for w in token.split(separator: ",", omittingEmptySubsequences: false) {
            guard let (_, bit) = words.first(where: { $0.0 == w }) else {
                throw OracleParseProblem("unknown gfp word '\(w)' (high, comp)", token: token)
            }
            g.insert(bit)
        }
        // Both zone modifiers at once is GFP_ZONE_BAD: gfp_zone()'s VM_BUG_ON (DEBUG_VM) on the kernel.
        guard !g.isSuperset(of: [.dma, .dma32]) else {
            throw OracleParseProblem("'dma' and 'dma32' together name no zone (GFP_ZONE_BAD)", token: token)
        }
        return g
    }

    /// The zone a zone modifier names (`gfp_zone()`), nil for none.
    public var zoneModifier: String? { contains(.dma) ? "DMA" : contains(.dma32) ? "DMA32" : nil }

    /// The mask the driver passes to `alloc_pages` (`bl_gfp` + these words): `__GFP_NOWARN |
    /// __GFP_NORETRY`, the type's mobility bit, and the words' bits (the zone modifiers apart:
    /// `zoneModifier`, not a `GFPMask` bit). No `__GFP_DIRECT_RECLAIM`: a
    /// non-blocking request (ALLOC_NON_BLOCK on Debian's 6.1.192 and 6.12).
    public func mask(for type: AllocType) -> GFPMask {
        var m: GFPMask = [.nowarn, .noretry]
        if type == .movable { m.insert(.movable) }
        if type == .reclaimable { m.insert(.reclaimable) }
        if contains(.high) { m.insert(.high) }
        if contains(.comp) { m.insert(.comp) }
        return m
    }
}
