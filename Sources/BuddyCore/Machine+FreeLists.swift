/// List primitives on `free_area[order].free_list[mt]`, mirroring the kernel's
/// `add_to_free_list[_tail]` / `del_page_from_free_list` / `move_to_free_list` (v5.x names).
///
/// `nr_free` changes only when a head is added or deleted, never when it is moved between lists
/// (kernel-reference §1.1). The truth counters (`allocatableFree`, `isolatedFree`, list lengths)
/// are the simulator's own bookkeeping and follow every primitive; designs never touch them.
extension Machine {
    /// Put a free block on a list and mark its head `PageBuddy` of `order`.
    @inlinable @inline(__always)
    public func addToFreeList(_ pfn: Int, order: Int, _ mt: MigrateType, zone z: Int, tail: Bool) {
        let i = index(pfn)
        state[i] = packState(.buddy, order)
        info[i] = mt.rawValue
        link(i, list: listIndex(z, order, mt), tail: tail)
        nrFree[z &* orders &+ order] &+= 1
        adjustTruth(z, mt, 1 &<< order)
    }

    /// Take a free head off its list and clear `PageBuddy` (the caller decides what it becomes).
    @inlinable @inline(__always)
    public func delFromFreeList(_ pfn: Int, zone z: Int) {
        let i = index(pfn)
        let order = Int(state[i] & 15)
        let mt = MigrateType(rawValue: info[i]) ?? .movable
        unlink(i, list: listIndex(z, order, mt))
        state[i] = 0
        nrFree[z &* orders &+ order] &-= 1
        adjustTruth(z, mt, -(1 &<< order))
    }

    /// Move a free head to another migratetype's list of the same order (`move_to_free_list`):
    /// to the list's head before v5.10, its tail after (`list_move_tail`, `KernelEra.freeListMovesToTail`).
    @inlinable @inline(__always)
    public func moveToFreeList(_ pfn: Int, _ mt: MigrateType, zone z: Int) {
        let i = index(pfn)
        let order = Int(state[i] & 15)
        let old = MigrateType(rawValue: info[i]) ?? .movable
        if old == mt {
            // `list_move_tail` (v5.10+; `list_move` before) is unconditional: a page already on
            // the target list still goes to its tail. move_freepages() meets such pages in a
            // block whose earlier steals left some of its pages on the requester's list (found by
            // the 6.1 oracle: 13,539 commands into a 100,000-command run, seed 7).
            let l = listIndex(z, order, mt)
            unlink(i, list: l)
            link(i, list: l, tail: S.Era.freeListMovesToTail)
            return
        }
        unlink(i, list: listIndex(z, order, old))
        adjustTruth(z, old, -(1 &<< order))
        info[i] = mt.rawValue
        link(i, list: listIndex(z, order, mt), tail: S.Era.freeListMovesToTail)
        adjustTruth(z, mt, 1 &<< order)
    }

    /// Migratetype of the list a free head is on.
    @inlinable @inline(__always) public func listType(_ pfn: Int) -> MigrateType {
        MigrateType(rawValue: info[index(pfn)]) ?? .movable
    }

    @inlinable @inline(__always)
    func adjustTruth(_ z: Int, _ mt: MigrateType, _ pages: Int) {
        if mt == .isolate { zone[z].isolatedFree &+= pages } else { zone[z].allocatableFree &+= pages }
        // v6.10 account_freepages(): the list primitives keep NR_FREE_PAGES / NR_FREE_CMA_PAGES.
        if S.FreeLists.inListPrimitives, mt != .isolate {
            zone[z].nrFreePages &+= pages
            if mt == .cma { zone[z].nrFreeCMAPages &+= pages }
        }
    }

    @inlinable @inline(__always)
    func link(_ i: Int, list l: Int, tail: Bool) {
        let u = UInt32(truncatingIfNeeded: i)
        if tail {
            let t = listTail[l]
            prev[i] = t; next[i] = frameNil
            if t == frameNil { listHead[l] = u } else { next[Int(t)] = u }
            listTail[l] = u
        } else {
            let h = listHead[l]
            next[i] = h; prev[i] = frameNil
            if h == frameNil { listTail[l] = u } else { prev[Int(h)] = u }
            listHead[l] = u
        }
        listCount[l] &+= 1
    }

    @inlinable @inline(__always)
    func unlink(_ i: Int, list l: Int) {
        let n = next[i], p = prev[i]
        if p == frameNil { listHead[l] = n } else { next[Int(p)] = n }
        if n == frameNil { listTail[l] = p } else { prev[Int(n)] = p }
        next[i] = frameNil; prev[i] = frameNil
        listCount[l] &-= 1
    }
}
