/// Reading the per-cpu pagesets (tests, metrics, the invariant checker) and the
/// `misplaced_free_pages` metric.
extension Machine {
    /// `pcp->count` of `cpu`'s set for zone `z` (pages).
    public func pcpCount(cpu: Int, zone z: Int) -> Int {
        S.Era.pcp == .none ? 0 : pcpState.count[pcpState.set(cpu, z)]
    }

    /// `pcp->high` (v6.7: the tuned value) and `pcp->batch` of `cpu`'s set for zone `z`.
    public func pcpHighAndBatch(cpu: Int, zone z: Int) -> (high: Int, batch: Int) {
        guard S.Era.pcp != .none else { return (0, 0) }
        let s = pcpState.set(cpu, z)
        return (pcpState.high[s], pcpState.batch[s])
    }

    /// v6.7+ `high_min` / `high_max` of `cpu`'s set for zone `z`.
    public func pcpHighBounds(cpu: Int, zone z: Int) -> (min: Int, max: Int) {
        guard S.Era.pcp != .none else { return (0, 0) }
        let s = pcpState.set(cpu, z)
        return (pcpState.highMin[s], pcpState.highMax[s])
    }

    /// The pfns on pcp list `pindex` of `cpu`'s set for zone `z`, head first.
    public func pcpListContents(cpu: Int, zone z: Int, pindex: Int) -> [Int] {
        guard S.Era.pcp != .none else { return [] }
        var out: [Int] = []
        var i = pcpState.listHead[pcpState.list(pcpState.set(cpu, z), pindex)]
        while i != frameNil { out.append(pfnOf(Int(i))); i = next[Int(i)] }
        return out
    }

    /// Pages on every pcp list of every CPU and zone.
    public var totalPCPPages: Int {
        guard S.Era.pcp != .none else { return 0 }
        var n = 0
        for cpu in 0..<pcpState.cpus { for z in 0..<zoneCount { n += pcpCount(cpu: cpu, zone: z) } }
        return n
    }

    /// Free pages on a buddy list whose type differs from their pageblock's, counted per
    /// pageblock a free block covers. A page on the ISOLATE list belongs in an ISOLATE block
    /// and nowhere else; a page in an ISOLATE block on any other list is misplaced (it will be
    /// handed out from an isolated range); a CMA block's pages belong on the CMA list.
    public var misplacedFreePages: Int {
        var n = 0
        let pb = geometry.pageblockPages
        for z in 0..<zoneCount {
            for o in 0...geometry.maxOrder {
                for mt in MigrateType.allCases {
                    var i = listHead[listIndex(z, o, mt)]
                    while i != frameNil {
                        let pfn = pfnOf(Int(i))
                        var p = pfn
                        while p < pfn + (1 << o) {
                            let span = min(pb, pfn + (1 << o) - p)
                            if blockType(p) != mt { n += span }
                            p += span
                        }
                        i = next[Int(i)]
                    }
                }
            }
        }
        return n
    }

    /// Structural checks of the pcp lists: every block on a list is a `.pcp` head of the list's
    /// order, in the set's zone; lengths and `count` agree with the lists; every `.pcp` head in
    /// memory is on some list.
    func pcpViolations() -> [String] {
        guard S.Era.pcp != .none else { return [] }
        var out: [String] = []
        let p = pcpState
        var listed = 0
        for cpu in 0..<p.cpus {
            for z in 0..<zoneCount {
                let s = p.set(cpu, z)
                var pages = 0
                for pindex in 0..<PerCPUPages.lists {
                    let l = p.list(s, pindex)
                    let o = PerCPUPages.order(ofPindex: pindex, pageblockOrder: geometry.pageblockOrder)
                    var i = p.listHead[l], prevI = frameNil, n = 0
                    while i != frameNil {
                        let idx = Int(i)
                        if state[idx] != packState(.pcp, o) { out.append("pcp list cpu \(cpu) zone \(z) pindex \(pindex): \(hex(pfnOf(idx))) is not a pcp head of order \(o)") }
                        if zoneOf(pfnOf(idx)) != z { out.append("pcp page \(hex(pfnOf(idx))) on zone \(z)'s set belongs to zone \(zoneOf(pfnOf(idx)))") }
                        if prev[idx] != prevI { out.append("broken pcp prev link at \(hex(pfnOf(idx)))") }
                        prevI = i; i = next[idx]; n += 1
                        if n > frameCount { out.append("cycle in pcp list cpu \(cpu) zone \(z) pindex \(pindex)"); break }
                    }
                    if n != p.listLength[l] { out.append("pcp list cpu \(cpu) zone \(z) pindex \(pindex): length \(n) ≠ \(p.listLength[l])") }
                    if p.listTail[l] != prevI { out.append("pcp list cpu \(cpu) zone \(z) pindex \(pindex): tail pointer wrong") }
                    pages += n << o
                    listed += n
                }
                if pages != p.count[s] { out.append("pcp cpu \(cpu) zone \(z): count \(p.count[s]) ≠ \(pages) pages on its lists") }
            }
        }
        var heads = 0
        for idx in 0..<frameCount where state[idx] >> 4 == FrameKind.pcp.rawValue { heads += 1 }
        if heads != listed { out.append("\(heads) pcp heads in memory but \(listed) on pcp lists") }
        return out
    }
}
