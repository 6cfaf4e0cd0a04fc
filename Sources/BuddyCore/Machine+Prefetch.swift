import CPrefetch

/// Lookahead prefetch for an executor that knows its event stream ahead of time.
///
/// A free of a random page touches cache lines nothing else has touched lately: the handle's
/// table entry, then the head's `state`/`info`/links and its buddy's (the same lines for small
/// orders). Those loads depend on each other, so on a machine much larger than the last-level
/// cache each free waits for two or three DRAM round trips in a row. An executor replaying a
/// known stream (`Simulation`, `buddybench`) issues stage 1 a few events ahead and stage 2 a
/// few events later, so the misses of several future frees overlap with the current work. The
/// kernel does the same in `free_pcppages_bulk()` (`prefetch_buddy`). Prefetches never change
/// state: a stale or failed handle is simply ignored.
extension Machine {
    /// Stage 1: the handle-table entry a future `free(handle:)` reads.
    @inlinable @inline(__always)
    public func prefetchHandle(_ h: Int) {
        guard book.pointee.handles.contains(h) else { return }
        buddylab_prefetch_read(book.pointee.handles.address(of: h))
    }

    /// Stage 2: the per-frame words a future `free(handle:)` reads and writes at the head
    /// (its buddies at orders below 4 share these cache lines).
    @inlinable @inline(__always)
    public func prefetchFree(handle h: Int) {
        guard book.pointee.handles.contains(h) else { return }
        let pfn32 = book.pointee.handles[h]
        guard pfn32 != frameNil else { return }
        let i = index(Int(pfn32))
        buddylab_prefetch_write(state.address(i))   // and `info`, interleaved with it
        buddylab_prefetch_write(next.address(i))    // and `prev`
    }
}
