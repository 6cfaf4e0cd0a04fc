/// Where free blocks land on a list when they are moved or put back, per era. Derived from the
/// era's allocator shape rather than declared per era type, so existing era files stay as
/// they are: the 2022 allocator shape (v4.13–v5.x fallback) is the only one that postdates
/// v5.10, where both changes landed (David Hildenbrand's "place pages to tail" series).
extension KernelEra {
    /// `move_to_free_list()` is `list_move_tail()` from v5.10 ("mm/page_alloc: move pages to
    /// tail in move_to_free_list()"); before, `move_freepages()` used `list_move()` (head).
    /// Pages moved by `move_freepages_block` and single-page steals go to the tail.
    @inlinable public static var movesFreeBlocksToTail: Bool { fallback == .e2022 }

    /// `__putback_isolated_page()` frees with FPI_TO_TAIL from v5.10 ("mm/page_alloc: place
    /// pages to tail in __putback_isolated_page()"): the block `unset_migratetype_isolate`
    /// re-frees goes to the tail of its list whatever `buddy_merge_likely()` says.
    @inlinable public static var putbackIsolatedToTail: Bool { fallback == .e2022 }
}
