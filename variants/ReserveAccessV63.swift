import BuddyCore

/// Mel Gorman, "mm/page_alloc: explicitly define how __GFP_HIGH non-blocking allocations
/// accesses reserves" (1ebbb21811b7, v6.3) and the rest of his January 2023 series
/// (ALLOC_HIGH renamed ALLOC_MIN_RESERVE, ALLOC_HARDER split into ALLOC_NON_BLOCK and
/// ALLOC_HIGHATOMIC): `gfp_to_alloc_flags` gives ALLOC_MIN_RESERVE to `__GFP_HIGH`, and to every
/// request without `__GFP_DIRECT_RECLAIM` (unless `__GFP_NOMEMALLOC`) ALLOC_NON_BLOCK, plus
/// ALLOC_HIGHATOMIC when order > 0; `__zone_watermark_ok` takes `min/2` for MIN_RESERVE and a
/// further `min/4` only with NON_BLOCK as well, so GFP_NOWAIT no longer dips below min but a
/// GFP_NOWAIT order > 0 request may use and create HIGHATOMIC reserves. The v6.9/v6.10 tags
/// have these rules without the 2025 fix.
public enum ReserveAccessV63: ReserveAccess {
    public static let id = "reserves-v6.3"
    public static let summary = "ALLOC_MIN_RESERVE / ALLOC_NON_BLOCK / ALLOC_HIGHATOMIC (Mel Gorman, v6.3): any non-blocking order > 0 request reserves HIGHATOMIC"
    public static let rules = ReserveRules.minReserve
    public static let highatomicNeedsMinReserve = false
}
