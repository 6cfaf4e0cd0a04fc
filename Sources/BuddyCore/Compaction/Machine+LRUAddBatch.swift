/// The per-CPU `lru_add` folio batch (mm/swap.c) as compaction meets it: a page migrated by
/// `compact_zone` reaches the LRU only when its CPU's batch is moved to the LRU, and until then
/// `isolate_migratepages_block` skips it (`!folio_test_lru`), so a pass that comes back over
/// its own targets finds the last few missing.
///
/// Debian 6.12.118 `migrate_folio_move()`: `folio_add_lru(dst)`, and `lru_add_drain()` only for
/// a page that was mlocked; `__folio_batch_add_and_move()` moves the batch to the LRU when the
/// add fills it (`PAGEVEC_SIZE` 31) or the folio is large (`folio_may_be_lru_cached`). Debian
/// 6.1.192 `__unmap_and_move()` calls `lru_add_drain()` after every mapped page, so every page
/// the model migrates (anon or mapped) is on the LRU at once there; an unmapped page-cache page
/// would wait in a 15-page batch, which the model does not see (it does not know which page-cache
/// pages are mapped). Found by the oracle: 6.12.118 `--random 100000 --seed 1`, `compact 10
/// movable sync_full` at command 47,963 — the second round in block 0x1a600 took 48 pages on the
/// kernel (0x1a650, the 32nd target of the round before, still batched), 49 on the model.
///
/// The batch is empty when `compact_zone()` starts (its `lru_add_drain()`), is moved by
/// `check_drain`'s `lru_add_drain_cpu_zone()`, and is empty again before anything else reads
/// LRU membership: the oracle driver drains it before each state, `alloc_contig_range()` and
/// memory offline call `lru_cache_disable()`, the next `compact_zone()` drains it.
extension Machine {
    /// `PAGEVEC_SIZE` of Debian 6.12.118 (include/linux/pagevec.h).
    static var lruAddBatchSize: Int { 31 }

    /// `folio_add_lru(dst)` for a compaction target of order `o` that took a migratable source.
    func lruAdd(_ cc: inout CompactControl, _ pfn: Int, order o: Int) {
        guard S.Era.compaction == .v6_12 else { return }
        if o == 0 {
            let i = index(pfn)
            info[i] &= ~AllocInfo.migratableBit      // not on the LRU until the batch moves
            cc.lruAddBatch.append(pfn)
            if cc.lruAddBatch.count < Self.lruAddBatchSize { return }
        }
        lruAddDrain(&cc)
    }

    /// `folio_batch_move_lru()` / `lru_add_drain_cpu()`: every batched page onto the LRU.
    func lruAddDrain(_ cc: inout CompactControl) {
        for p in cc.lruAddBatch { info[index(p)] |= AllocInfo.migratableBit }
        cc.lruAddBatch.removeAll(keepingCapacity: true)
    }
}
