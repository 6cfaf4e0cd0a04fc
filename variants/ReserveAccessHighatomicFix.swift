import BuddyCore

/// Thadeu Lima de Souza Cascardo, "mm/page_alloc: only set ALLOC_HIGHATOMIC for __GFP_HIGH
/// allocations" (2025, Cc: stable): on top of the v6.3 rules, `gfp_to_alloc_flags` sets
/// ALLOC_HIGHATOMIC only when ALLOC_MIN_RESERVE is set too, so GFP_NOWAIT order > 0 requests
/// (which can come by the thousand, e.g. from networking) stop turning pageblocks into
/// HIGHATOMIC reserves that every ordinary request then sees subtracted. Debian's 6.1.192
/// carries it (mm/page_alloc.c `gfp_to_alloc_flags`), so `linux-6.1` uses it.
public enum ReserveAccessHighatomicFix: ReserveAccess {
    public static let id = "reserves-v6.3-highatomic-fix"
    public static let summary = "v6.3 reserve rules; ALLOC_HIGHATOMIC only with ALLOC_MIN_RESERVE (Cascardo 2025)"
    public static let rules = ReserveRules.minReserve
    public static let highatomicNeedsMinReserve = true
}
