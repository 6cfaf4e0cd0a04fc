import BuddyCore

/// `kcompactd ORDER` runs `kcompactd_do_work` on a kthread the driver creates from the batch's
/// task (buddylab_oracle_cmds.c, `bl_kcompactd`: `kthread_create` → `kthread_create_on_node`,
/// whose kmalloc of its request can grow a slab there), so such a slab page is a `side alloc` of
/// the command. Compaction itself never makes one: its targets are free pages it isolates
/// (`__isolate_free_page`, no `mm_page_alloc`), and its side frees are the migrated sources the
/// model frees itself. Found by a 100,000-command `--random` run on 6.1.192: `kcompactd 3` at
/// command 248 allocated 0x1263 (unmovable, order 0) and compacted nothing; the model left the
/// page free.
extension SimulatedKernel {
    /// Replays the command's side allocations at their pfns before the model's pass (the kernel
    /// took them before `kcompactd_do_work` ran). Returns their pfns.
    func replayKthreadAllocs(_ side: [ForeignEvent]?) -> Set<Int> {
        var pfns = Set<Int>()
        for e in side ?? [] where e.isAlloc {
            replaySide(e)
            pfns.insert(e.pfn)
        }
        return pfns
    }

    /// Replays, after the pass, the side frees of pages `replayKthreadAllocs` allocated (the
    /// slab page given back inside the command); every other side free is a migrated source.
    func replayKthreadFrees(_ side: [ForeignEvent]?, allocated: Set<Int>) {
        guard !allocated.isEmpty else { return }
        for e in side ?? [] where !e.isAlloc && allocated.contains(e.pfn) { replaySide(e) }
    }
}
