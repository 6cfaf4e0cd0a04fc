import BuddyCore

/// The driver's `anon` mappings on the simulator side: LRU pages (movable, migratable) that
/// `alloc_contig_range`, isolation and CMA meet and must migrate or pass, as on the kernel.
///
/// In lockstep the kernel's own page events of the command are replayed (PROTOCOL.md, `side`):
/// the faults of `anon N` (`do_anonymous_page` → `alloc_pages(GFP_HIGHUSER_MOVABLE, 0)` per data
/// page, plus page tables and slab, unmovable) and the frees of its `vm_munmap`
/// (`zap_pte_range` → `free_pages_and_swap_cache`, then `free_pgtables`). A data page is the
/// command's order-0 movable allocation; it becomes a simulator handle, so a later migration
/// (`Machine.migrateBlock`) keeps its pfn current — the kernel's `anon H PFN…` record is then
/// compared with it after every command.
extension SimulatedKernel {
    /// Maps `pages` anonymous pages; the simulator handles of its data pages in address order
    /// (the faults run in address order: `clear_user` writes the mapping from its start), or nil
    /// when the model could not place them.
    func mapAnon(_ pages: Int, kernelSide: [ForeignEvent]?) -> [Int]? {
        guard let side = kernelSide else { return predictAnonFaults(pages) }
        var handles: [Int] = []
        handles.reserveCapacity(pages)
        for e in side {
            if e.isAlloc, e.order == 0, e.type == .movable {
                if needsAllocatorReplay(e) {   // a fault page that fell back (SimulatedKernel+FallbackReplay.swift)
                    let (h, problem) = replayThroughAllocator(e, migratable: true)
                    if let h { handles.append(h); continue }
                    if let problem { sideProblems.append(problem) }
                }
                guard let h = m.replayAnonFault(pfn: e.pfn) else {
                    sideProblems.append("anon fault page \(hexString(e.pfn)) could not be taken on the simulator")
                    continue
                }
                handles.append(h)
            } else {
                replaySide(e)
            }
        }
        if handles.count != pages {
            sideProblems.append("the kernel faulted \(handles.count) movable pages for anon \(pages)")
        }
        return handles
    }

    /// Choosing commands ahead of the kernel: each fault an order-0 movable allocation through
    /// the allocator with the driver's non-blocking mask (the generator only maps while the zone
    /// is far above its watermarks, where `GFP_HIGHUSER_MOVABLE`'s reclaim bits change nothing).
    /// Page tables are not predicted.
    func predictAnonFaults(_ pages: Int) -> [Int]? {
        var handles: [Int] = []
        handles.reserveCapacity(pages)
        let gfp = OracleGFP().mask(for: .movable)
        for _ in 0..<pages {
            let pfn = m.allocPages(zone: nil, order: 0, .movable, gfp: gfp)
            guard pfn >= 0 else {
                for h in handles { m.free(handle: h) }
                return nil
            }
            handles.append(m.markAllocated(pfn: pfn, order: 0, AllocInfo(type: .movable, migratable: true, compound: false)))
        }
        return handles
    }

    /// `free H` of an anon handle: `vm_munmap`.
    func unmapAnon(_ handles: [Int], kernelSide: [ForeignEvent]?) -> OracleResult {
        guard let side = kernelSide else {
            for h in handles { m.free(handle: h) }
            return OracleResult("ok")
        }
        for e in side { replaySide(e) }
        let left = handles.filter { m.handlePfn.contains($0) && m.handlePfn[$0] != UInt32.max }   // released: frameNil
        if !left.isEmpty {
            sideProblems.append("the kernel's unmap left \(left.count) of \(handles.count) anon pages allocated on the simulator (first at \(hexString(Int(m.handlePfn[left[0]]))))")
        }
        return OracleResult("ok")
    }

    /// One page event of the kernel's, at its exact pfn (an anon data page's free releases its
    /// simulator handle: `Machine.foreignFree`).
    func replaySide(_ e: ForeignEvent) {
        let r = replay(e)
        if r != .ok { sideProblems.append("\(e) inside the command could not be replayed on the simulator (\(r.rawValue))") }
    }
}
