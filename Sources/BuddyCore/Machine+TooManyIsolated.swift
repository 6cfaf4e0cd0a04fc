/// `too_many_isolated()` (mm/compaction.c), as `alloc_contig_range` meets it: each
/// `isolate_migratepages_block()` call of a round — one per pageblock of the range — first asks
/// whether the node has more pages isolated from the LRU than the LRU's size allows, and with
/// pages already isolated in the round returns -EAGAIN: the round ends at that pageblock and is
/// migrated before the next one starts (`__alloc_contig_migrate_range` → `migrate_pages`), so the
/// targets are handed out in another order. Compaction isolates one pageblock per round and so
/// never meets it here (nothing is isolated when the block starts).
///
/// Debian 6.1.192: `isolated > (inactive + active) / 2`. Debian 6.12.118: a request with
/// `__GFP_FS` (alloc_contig_range's GFP_KERNEL, cma_alloc's) shifts `inactive` and `active` right
/// by 3 first, so the limit is about an LRU-sixteenth. Found by the oracle: 6.12.118 `--random
/// 100000 --seed 1`, `cma_alloc 1024 3` at command 10,958 — the kernel's first round over
/// [0x1c208, 0x1c608) isolated the 22 LRU pages of its first two pageblocks and stopped (about
/// 350 LRU pages: limit 22), then migrated 0x1c600 and 0x1c601 in a round of their own; the
/// model took all 24 in one round.
///
/// The model knows the LRU's size (its migratable pages), not the active/inactive split: it
/// takes `(lru >> 3) / 2`, which is the kernel's `((active >> 3) + (inactive >> 3)) / 2` unless
/// the two remainders mod 8 add up to 8 or more (then the kernel's limit can be one lower).
/// User-Mode Linux is uniprocessor, so the node counters it reads are exact (no per-CPU
/// vmstat deltas); on SMP kernels they lag by up to the stat threshold per CPU.
extension Machine {
    /// Whether `isolated` pages isolated from an LRU of `lru` pages (isolated ones excluded, as
    /// `folio_isolate_lru` takes them off the LRU counters) are too many.
    @inlinable
    func tooManyIsolated(isolated: Int, lru: Int) -> Bool {
        let base = S.Era.compaction == .v6_12 ? lru >> 3 : lru   // __GFP_FS: inactive >>= 3; active >>= 3
        return isolated > base / 2
    }

    /// Pages on the LRU: every allocated migratable page (`PageLRU` in the oracle's import), in
    /// pages, over every zone of the node.
    func lruPageCount() -> Int {
        var n = 0
        for z in 0..<zoneCount {
            var p = zone[z].startPfn
            while p < zone[z].endPfn {
                switch kind(p) {
                case .allocated:
                    let o = order(p)
                    if AllocInfo(raw: info[index(p)]).migratable { n += 1 << o }
                    p += 1 << o
                case .buddy: p += 1 << order(p)
                default: p += 1
                }
            }
        }
        return n
    }
}
