/// Era terms that arrived after the v6.10 hygiene series and are in the kernel Debian ships as
/// linux-source-6.12 (6.12.117), which the real-kernel oracle boots. Both default to false, so
/// every era up to `Era67` (v6.7–v6.10) keeps its exact results.
extension KernelEra {
    /// After v6.10 (v6.11 as far as this project knows; the commit was not pinned down): the v6.10
    /// hygiene series used `split_large_buddy()` for isolation only, later `free_one_page()`
    /// calls it too (Debian's 6.12.117 has it, with an `fpi` argument): a free above
    /// pageblock_order (`__free_pages_ok`, hence also memory online's `__free_pages_core`) is
    /// freed pageblock by pageblock, each piece with its own pageblock's migratetype, so it
    /// merges again only where the merge rules allow and a merge across blocks retypes the
    /// buddy's block (`__free_one_page`). Before, the whole block went to the list of its first
    /// pageblock's type.
    public static var freeSplitsLargeBuddies: Bool { false }

    /// v6.15 (Johannes Weiner, "mm: page_alloc: speed up fallbacks in rmqueue_bulk()", as far
    /// as this project could tell; Debian's 6.12.117 carries it, still with the older names
    /// `can_steal` / `try_to_steal_block`): `__rmqueue_fallback` is split into
    /// `__rmqueue_claim` — from the largest order down, claim a whole block (take a block of
    /// ≥ pageblock_order, or convert a pageblock with at least half its pages free or alike),
    /// passing over a block it cannot claim — and `__rmqueue_steal`, which only then splits the
    /// smallest fallback block on its own list. `rmqueue_bulk` remembers the mode that found
    /// pages. Before (v6.10 `__rmqueue_fallback`) the chosen block was split on its own list at
    /// once when it could not be claimed.
    public static var fallbackClaimThenSteal: Bool { false }
}
