/// Derived state for metrics and reports: fragmentation, pageblock maps, /proc-style dumps.
extension Machine {
    /// Largest order with a block on a non-ISOLATE free list, or -1.
    public var largestFreeOrder: Int {
        for o in stride(from: geometry.maxOrder, through: 0, by: -1) {
            for z in 0..<zoneCount where trueBlocks(zone: z, order: o) > 0 { return o }
        }
        return -1
    }

    /// Mel Gorman's unusable free space index at `order` (×1000): the fraction of free memory
    /// in blocks too small for `order`. Over allocatable (non-ISOLATE) free memory.
    public func unusableFreeIndex(order j: Int) -> Int {
        var total = 0, usable = 0
        for z in 0..<zoneCount {
            for o in 0...geometry.maxOrder {
                let pages = trueBlocks(zone: z, order: o) << o
                total += pages
                if o >= j { usable += pages }
            }
        }
        return total == 0 ? 0 : (total - usable) * 1000 / total
    }

    /// Pageblocks holding an allocation whose mobility differs from the block's type (CMA and
    /// ISOLATE blocks never count). Walks frame indices directly, jumping over free and
    /// allocated blocks by their order: it runs at the end of every run, over every frame.
    public var mixedPageblocks: Int {
        var mixed = 0
        let pb = geometry.pageblockPages
        for b in 0..<pageblockCount {
            let bt = MigrateType(rawValue: pageblockType[b]) ?? .movable   // as `blockType`
            if bt == .cma || bt == .isolate { continue }
            var i = b &* pb
            let end = i &+ pb
            while i < end {
                let s = state[i], k = s >> 4, o = Int(s & 15)
                if k == FrameKind.allocated.rawValue {
                    if AllocInfo(raw: info[i]).type.migrateType != bt { mixed += 1; break }
                    i += max(1, min(1 << o, end - i))
                } else if k == FrameKind.buddy.rawValue {
                    i += max(1, min(1 << o, end - i))
                } else { i += 1 }
            }
        }
        return mixed
    }

    /// Whether the pageblock holding `pfn` has any RAM (`pfn_to_online_page` finds a memmap:
    /// a pageblock entirely inside a hole does not).
    public func pageblockHasRAM(_ pfn: Int) -> Bool {
        let start = pfn & ~(geometry.pageblockPages - 1)
        return absentPages(start, start + geometry.pageblockPages) < geometry.pageblockPages
    }

    /// One character per pageblock (`MigrateType.mapCharacter`, `.` offline or no RAM), per zone.
    public func pageblockMap() -> [(zone: String, map: String)] {
        (0..<zoneCount).map { z in
            var s = ""
            var p = zone[z].startPfn
            while p < zone[z].endPfn {
                s.append(isOnline(p) && pageblockHasRAM(p) ? blockType(p).mapCharacter : ".")
                p += geometry.pageblockPages
            }
            return (layout.zones[z].name, s)
        }
    }

    private func pad(_ s: String, _ w: Int) -> String { String(repeating: " ", count: max(0, w - s.count)) + s }

    /// `/proc/buddyinfo`: `nr_free` per order as the design maintains it.
    public func procBuddyinfo() -> String {
        var out = ""
        for z in 0..<zoneCount {
            out += "Node 0, zone " + pad(layout.zones[z].name, 8)
            for o in 0...geometry.maxOrder { out += " " + pad(String(nrFree[z * orders + o]), 6) }
            out += " \n"
        }
        return out
    }

    /// `/proc/pagetypeinfo`: free blocks per list and pageblocks per type.
    public func procPagetypeinfo() -> String {
        let shown: [MigrateType] = [.unmovable, .movable, .reclaimable, .highatomic, .cma, .isolate]
        var out = "Page block order: \(geometry.pageblockOrder)\nPages per block:  \(geometry.pageblockPages)\n\n"
        // mm/vmstat.c pagetypeinfo_showfree: "%-43s " then "%6d " per order.
        out += "Free pages count per migrate type at order  "
        for o in 0...geometry.maxOrder { out += pad(String(o), 6) + " " }
        out += "\n"
        for z in 0..<zoneCount {
            for mt in shown {
                out += "Node    0, zone " + pad(layout.zones[z].name, 8) + ", type " + pad(mt.procName, 12)
                for o in 0...geometry.maxOrder { out += " " + pad(String(listCount[listIndex(z, o, mt)]), 6) }
                out += " \n"
            }
        }
        // pagetypeinfo_showblockcount: "\n%-23s" then "%12s " per type.
        out += "\nNumber of blocks type  "
        for mt in shown { out += pad(mt.procName, 12) + " " }
        out += "\n"
        for z in 0..<zoneCount {
            var counts = [Int](repeating: 0, count: MigrateType.count)
            var p = zone[z].startPfn
            while p < zone[z].endPfn {
                if isOnline(p) && pageblockHasRAM(p) { counts[Int(blockType(p).rawValue)] += 1 }
                p += geometry.pageblockPages
            }
            out += "Node 0, zone " + pad(layout.zones[z].name, 8)
            for mt in shown { out += " " + pad(String(counts[Int(mt.rawValue)]), 12) }
            out += " \n"
        }
        return out
    }

    /// `/proc/zoneinfo`, the lines of `zoneinfo_show_print` a layout determines: free pages as
    /// `zone_page_state(NR_FREE_PAGES)` reads them (clamped at 0; the signed counter is the
    /// `nr_free_pages` metric), the watermarks, spanned / present / managed and start_pfn.
    public func procZoneinfo() -> String {
        var out = ""
        for z in 0..<zoneCount {
            let c = zone[z]
            out += "Node 0, zone " + pad(layout.zones[z].name, 8) + "\n"
            out += "  pages free     \(zonePageState(c.nrFreePages))\n"
            out += "        min      \(c.wmarkMin)\n"
            out += "        low      \(c.wmarkLow)\n"
            out += "        high     \(c.wmarkHigh)\n"
            out += "        spanned  \(c.endPfn - c.startPfn)\n"
            out += "        present  \(c.presentPages)\n"
            out += "        managed  \(c.managedPages)\n"
            out += "        cma      \(cmaAreas.filter { zoneOf($0.base) == z }.reduce(0) { $0 + $1.pages })\n"
            out += "  start_pfn:           \(c.startPfn)\n"
        }
        return out
    }
}
