/// The allocation context: `alloc_flags` (mm/internal.h) and the axis that decides which
/// reserves a gfp mask may touch (`gfp_to_alloc_flags`, the `min -= …` arithmetic of
/// `__zone_watermark_ok`, access to MIGRATE_HIGHATOMIC).

/// `alloc_flags` as the engine uses them. One set for every era: the pre-v6.3 ALLOC_HIGH is
/// v6.3's ALLOC_MIN_RESERVE (ab3508854353 renamed it; both are `__GFP_HIGH`'s bit), ALLOC_HARDER
/// (≤ v6.2) and ALLOC_NON_BLOCK / ALLOC_HIGHATOMIC (v6.3+) are separate members so no rule set
/// can read another's flag by accident.
public struct AllocFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    @inlinable public init(rawValue: UInt32) { self.rawValue = rawValue }
    /// ALLOC_WMARK_MIN / LOW / HIGH (mutually exclusive; none set means MIN).
    public static let wmarkLow = AllocFlags(rawValue: 1 << 0)
    public static let wmarkHigh = AllocFlags(rawValue: 1 << 1)
    /// ALLOC_NO_WATERMARKS (`__GFP_MEMALLOC` without `__GFP_NOMEMALLOC`, PF_MEMALLOC).
    public static let noWatermarks = AllocFlags(rawValue: 1 << 2)
    /// ALLOC_OOM (OOM victims; no OOM killer here, so never set by the engine today).
    public static let oom = AllocFlags(rawValue: 1 << 3)
    /// ALLOC_HIGH (≤ v6.2) / ALLOC_MIN_RESERVE (v6.3+): `__GFP_HIGH`.
    public static let minReserve = AllocFlags(rawValue: 1 << 4)
    /// ALLOC_HARDER (≤ v6.2).
    public static let harder = AllocFlags(rawValue: 1 << 5)
    /// ALLOC_NON_BLOCK (v6.3+): the caller cannot run direct reclaim.
    public static let nonBlock = AllocFlags(rawValue: 1 << 6)
    /// ALLOC_HIGHATOMIC (v6.3+): may use and create MIGRATE_HIGHATOMIC reserves.
    public static let highatomic = AllocFlags(rawValue: 1 << 7)
    /// ALLOC_CMA (`gfp_to_alloc_flags_cma`: movable requests).
    public static let cma = AllocFlags(rawValue: 1 << 8)
    /// ALLOC_KSWAPD (`__GFP_KSWAPD_RECLAIM`).
    public static let kswapd = AllocFlags(rawValue: 1 << 9)
    /// ALLOC_NOFRAGMENT (v5.0+, fast path only; Machine+NoFragment.swift).
    public static let noFragment = AllocFlags(rawValue: 1 << 10)
    /// ALLOC_RESERVES (v6.3+): NON_BLOCK | MIN_RESERVE | HIGHATOMIC | OOM.
    public static let reserves: AllocFlags = [.nonBlock, .minReserve, .highatomic, .oom]
}

/// Which reserve rules an axis design follows.
public enum ReserveRules: Sendable, Equatable {
    /// v2.6 … v6.2: ALLOC_HIGH halves min, ALLOC_HARDER takes a further quarter and opens the
    /// HIGHATOMIC lists to order > 0 (v4.4+). Who gets ALLOC_HARDER depends on the era: before
    /// v4.4 every request that cannot wait (`!__GFP_WAIT`), from v4.4 (d0164adc89f6) only
    /// `__GFP_ATOMIC`.
    case allocHarder
    /// v6.3 (Mel Gorman's series, 1ebbb21811b7 "explicitly define how __GFP_HIGH non-blocking
    /// allocations accesses reserves" and its siblings): ALLOC_MIN_RESERVE (`__GFP_HIGH`) halves
    /// min, ALLOC_NON_BLOCK (no direct reclaim) takes a further quarter only together with it;
    /// every ALLOC_RESERVES flag skips the HIGHATOMIC term; ALLOC_HIGHATOMIC for order > 0
    /// non-blocking requests.
    case minReserve
}

/// Axis — how a gfp mask reaches the reserves below the min watermark.
public protocol ReserveAccess: Sendable {
    static var id: String { get }
    static var summary: String { get }
    static var rules: ReserveRules { get }
    /// 2025 fix (Thadeu Lima de Souza Cascardo, "mm/page_alloc: only set ALLOC_HIGHATOMIC for
    /// __GFP_HIGH allocations"): ALLOC_HIGHATOMIC needs ALLOC_MIN_RESERVE too, so GFP_NOWAIT
    /// high-order requests no longer create HIGHATOMIC reserves. Only meaningful with `.minReserve`.
    static var highatomicNeedsMinReserve: Bool { get }
}

/// The default design: ALLOC_HIGH / ALLOC_HARDER (every kernel before v6.3).
public enum ReserveAccessHarder: ReserveAccess {
    public static let id = "reserves-alloc-harder"
    public static let summary = "ALLOC_HIGH halves min, ALLOC_HARDER (__GFP_ATOMIC; !__GFP_WAIT before v4.4) a further quarter (≤ v6.2)"
    public static let rules = ReserveRules.allocHarder
    public static let highatomicNeedsMinReserve = false
}

extension Machine {
    /// `gfp_to_alloc_flags(gfp_mask, order)` of the variant's reserve rules and era
    /// (Debian 6.1.192 mm/page_alloc.c for `.minReserve`): ALLOC_WMARK_MIN, ALLOC_KSWAPD from
    /// `__GFP_KSWAPD_RECLAIM`, the reserve flags, and ALLOC_CMA for movable requests
    /// (`gfp_to_alloc_flags_cma`). RT tasks (`rt_task(current)`) and cpusets are not modelled.
    @inlinable
    public func gfpToAllocFlags(_ gfp: GFPMask, order: Int, _ type: AllocType) -> AllocFlags {
        var f: AllocFlags = []
        if gfp.contains(.kswapdReclaim) { f.insert(.kswapd) }
        if gfp.contains(.high) { f.insert(.minReserve) }
        let canBlock = gfp.contains(.directReclaim)
        switch S.Reserves.rules {
        case .allocHarder:
            // v3.6: `if (!wait) ALLOC_HARDER`; v4.4+: `if (gfp_mask & __GFP_ATOMIC)`; both unless __GFP_NOMEMALLOC.
            let hard = S.Era.watermark == .e2012 ? !canBlock : gfp.contains(.atomic)
            if hard && !gfp.contains(.nomemalloc) { f.insert(.harder) }
        case .minReserve:
            if !canBlock && !gfp.contains(.nomemalloc) {
                f.insert(.nonBlock)
                if order > 0 && (!S.Reserves.highatomicNeedsMinReserve || f.contains(.minReserve)) {
                    f.insert(.highatomic)
                }
            }
        }
        if type == .movable { f.insert(.cma) }
        return f
    }

    /// The fast path's flags (`__alloc_pages`: ALLOC_WMARK_LOW, `gfp_to_alloc_flags_cma`;
    /// ALLOC_NOFRAGMENT is added by the zonelist walk where the era has it).
    @inlinable
    public func fastPathFlags(_ type: AllocType) -> AllocFlags {
        type == .movable ? [.wmarkLow, .cma] : [.wmarkLow]
    }

    /// `__gfp_pfmemalloc_flags`: ALLOC_NO_WATERMARKS for `__GFP_MEMALLOC` (not with
    /// `__GFP_NOMEMALLOC`); PF_MEMALLOC and OOM victims are not modelled.
    @inlinable
    public func pfmemallocFlags(_ gfp: GFPMask) -> AllocFlags {
        gfp.contains(.memalloc) && !gfp.contains(.nomemalloc) ? .noWatermarks : []
    }

    /// The mark `alloc_flags & ALLOC_WMARK_MASK` names.
    @inlinable
    public func markFor(_ f: AllocFlags, zone z: Int) -> Int {
        f.contains(.wmarkLow) ? zone[z].wmarkLow : f.contains(.wmarkHigh) ? zone[z].wmarkHigh : zone[z].wmarkMin
    }

    /// The `min -= …` arithmetic of `__zone_watermark_ok` for these flags.
    /// `.allocHarder` (v3.6, v4.4–v6.2): ALLOC_HIGH `min -= min/2`; then ALLOC_HARDER `min -= min/4`
    /// (ALLOC_OOM `min -= min/2` instead, v4.10+).
    /// `.minReserve` (v6.3+): ALLOC_MIN_RESERVE `min -= min/2`, and with ALLOC_NON_BLOCK a further
    /// `min -= min/4`; ALLOC_OOM `min -= min/2`.
    @inlinable
    public func reducedMin(_ mark: Int, _ f: AllocFlags) -> Int {
        var m = mark
        switch S.Reserves.rules {
        case .allocHarder:
            if f.contains(.minReserve) { m -= m / 2 }
            if f.contains(.oom) { m -= m / 2 } else if f.contains(.harder) { m -= m / 4 }
        case .minReserve:
            if f.contains(.minReserve) {
                m -= m / 2
                if f.contains(.nonBlock) { m -= m / 4 }
            }
            if f.contains(.oom) { m -= m / 2 }
        }
        return m
    }

    /// Whether the HIGHATOMIC term of `__zone_watermark_unusable_free` is left out: ALLOC_HARDER
    /// or ALLOC_OOM (v4.4–v6.2), any ALLOC_RESERVES flag (v6.3+).
    @inlinable
    public func skipsHighatomicTerm(_ f: AllocFlags) -> Bool {
        switch S.Reserves.rules {
        case .allocHarder: !f.isDisjoint(with: [.harder, .oom])
        case .minReserve: !f.isDisjoint(with: .reserves)
        }
    }

    /// Whether free HIGHATOMIC blocks satisfy the high-order part of the check and `rmqueue`
    /// tries MIGRATE_HIGHATOMIC first: ALLOC_HARDER (v4.4–v6.2, order > 0) / ALLOC_HIGHATOMIC
    /// (v6.3+; ALLOC_OOM too in the watermark).
    @inlinable
    public func usesHighatomicLists(_ f: AllocFlags, order: Int) -> Bool {
        switch S.Reserves.rules {
        case .allocHarder: order > 0 && f.contains(.harder)
        case .minReserve: f.contains(.highatomic)
        }
    }

    /// `rmqueue_buddy`'s last resort when `__rmqueue` failed: MIGRATE_HIGHATOMIC for ALLOC_OOM
    /// and (v6.3+) ALLOC_NON_BLOCK requests of any order.
    @inlinable
    public func fallsBackToHighatomic(_ f: AllocFlags) -> Bool {
        switch S.Reserves.rules {
        case .allocHarder: f.contains(.oom)
        case .minReserve: !f.isDisjoint(with: [.oom, .nonBlock])
        }
    }

    /// Whether a success reserves its pageblock (`reserve_highatomic_pageblock` in
    /// `get_page_from_freelist`): `order && ALLOC_HARDER` (v4.4–v6.2), ALLOC_HIGHATOMIC (v6.3+).
    @inlinable
    public func reservesOnSuccess(_ f: AllocFlags, order: Int) -> Bool {
        S.Era.watermark == .v4_4 && usesHighatomicLists(f, order: order)
    }
}
