import BuddyCore

/// Patch 3/5 of the defrag_mode series alone (e3aa7df331bc "mm: page_alloc: defrag_mode", with
/// its retry fix 7a95a05f15d5): ALLOC_NOFRAGMENT is enforced on the fast path and the reclaiming
/// slow path, but kswapd and kcompactd still work for the request's order on NR_FREE_PAGES. The
/// changelog measured this step on its own and found the THP rate *below* the vanilla kernel's
/// ("the baseline rate is much smaller than the vanilla kernel's to begin with"), which patches
/// 4 and 5 (`DefragModeV615`) were written to fix — the design this type puts to the test.
/// Differs from mainline: never a kernel of its own (an intermediate step of one series).
public enum DefragModeNoFragmentOnly: DefragMode {
    public static let id = "defrag-mode-nofragment-only"
    public static let summary = "patch 3/5 alone: ALLOC_NOFRAGMENT kept until reclaim/compaction gave up; kswapd/kcompactd unchanged"
    public static let enforcesNoFragment = true
    public static let kswapdWakesAtPageblockOrder = false
    public static let watermarksInFreeBlocks = false
}
