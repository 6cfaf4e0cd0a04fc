import BuddyCore

/// `vm.defrag_mode = 1` as merged for v6.15 (Johannes Weiner, "[PATCH 0/5] mm: reliable huge page
/// allocator", lore 20250313210647.1314586-1-hannes@cmpxchg.org), with the two fixes that reached
/// v6.15: 7a95a05f15d5 ("mm: page_alloc: fix defrag_mode's retry & OOM path") and a1f0220f3319
/// ("mm: vmscan: fix kswapd exit condition in defrag_mode").
/// - e3aa7df331bc "mm: page_alloc: defrag_mode": ALLOC_NOFRAGMENT on the fast path and the
///   reclaiming slow path, dropped once only after reclaim/compaction gave up;
/// - 101f9d666e4d "mm: page_alloc: defrag_mode kswapd/kcompactd assistance": kswapd woken at
///   pageblock order;
/// - a211c6550efc "mm: page_alloc: defrag_mode kswapd/kcompactd watermarks": kswapd balanced and
///   kcompactd done only when the high watermark is met in NR_FREE_PAGES_BLOCKS.
/// Differs from mainline: patch 1/5's `compaction_suitable(…, watermark, …)` rework (kswapd's
/// `compaction_ready` at the high mark) is not modelled — the reclaim stand-in has no
/// `compaction_ready`; v6.15's ALLOC_WMARK_HIGH for kcompactd is applied only with this design
/// (upstream it holds with defrag_mode = 0 as well); docs/defrag-mode.md lists the rest.
public enum DefragModeV615: DefragMode {
    public static let id = "defrag-mode-v6.15"
    public static let summary = "vm.defrag_mode = 1 (v6.15): ALLOC_NOFRAGMENT kept until reclaim/compaction gave up; kswapd at pageblock order; kswapd/kcompactd watermarks in free pageblocks"
    public static let enforcesNoFragment = true
    public static let kswapdWakesAtPageblockOrder = true
    public static let watermarksInFreeBlocks = true
}
