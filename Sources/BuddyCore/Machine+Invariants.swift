/// The invariant checker. Two outputs that must never be confused:
/// - **structural violations**: the simulator's own data disagree (a list and a frame, a frame
///   covered twice or not at all, a free block across an offline block…). Always a bug.
/// - **counter drift**: NR_FREE_PAGES and `nr_free` against the truth. A measured property of
///   a design, reported as metrics, never as a violation.
extension Machine {
    /// Counter drift of the current state (see the contract's metric definitions).
    public struct Drift: Sendable, Equatable {
        /// NR_FREE_PAGES − pages on non-ISOLATE free lists of online memory.
        public var nrFreePages: Int
        /// Σ nr_free[o]·2^o − pages on the lists the design says nr_free counts.
        public var nrFreeBlocks: Int
        /// Σ_o |nr_free[o] − true blocks of order o| (per-order corruption, e.g. design C's).
        public var nrFreeOrderMismatch: Int
    }

    public func drift() -> Drift {
        var d = Drift(nrFreePages: 0, nrFreeBlocks: 0, nrFreeOrderMismatch: 0)
        for z in 0..<zoneCount {
            d.nrFreePages += zone[z].nrFreePages - zone[z].allocatableFree
            for o in 0...geometry.maxOrder {
                var truth = trueBlocks(zone: z, order: o)
                if S.Accounting.nrFreeCountsIsolateLists { truth += listCount[listIndex(z, o, .isolate)] }
                let counted = nrFree[z * orders + o]
                d.nrFreeBlocks += (counted - truth) << o
                d.nrFreeOrderMismatch += abs(counted - truth)
            }
        }
        return d
    }

    /// Check every structural invariant. Cost O(frames + free blocks).
    /// - Returns: descriptions of the violations found (empty when sound), at most `limit`.
    public func structuralViolations(limit: Int = 20) -> [String] {
        var out: [String] = []
        func bad(_ s: String) { if out.count < limit { out.append(s) } }
        var listed = 0
        for z in 0..<zoneCount {
            var allocatable = 0, isolated = 0
            for o in 0...geometry.maxOrder {
                for mt in MigrateType.allCases {
                    let l = listIndex(z, o, mt)
                    var i = listHead[l], prevI = frameNil, n = 0
                    while i != frameNil {
                        let idx = Int(i), pfn = pfnOf(idx)
                        if state[idx] != packState(.buddy, o) || info[idx] != mt.rawValue {
                            bad("list zone \(z) order \(o) \(mt): \(hex(pfn)) is not a free order-\(o) head of that type")
                        }
                        if zoneOf(pfn) != z { bad("\(hex(pfn)) on zone \(z)'s list belongs to zone \(zoneOf(pfn))") }
                        if !isOnline(pfn) { bad("free block \(hex(pfn)) lies in an offline memory block") }
                        if prev[idx] != prevI { bad("broken prev link at \(hex(pfn))") }
                        prevI = i; i = next[idx]; n += 1
                        if n > frameCount { bad("cycle in list zone \(z) order \(o) \(mt)"); break }
                    }
                    if n != listCount[l] { bad("list zone \(z) order \(o) \(mt): length \(n) ≠ count \(listCount[l])") }
                    if listTail[l] != prevI { bad("list zone \(z) order \(o) \(mt): tail pointer wrong") }
                    listed += n
                    if mt == .isolate { isolated += n << o } else { allocatable += n << o }
                }
            }
            if allocatable != zone[z].allocatableFree { bad("zone \(z): allocatable truth \(zone[z].allocatableFree) ≠ lists \(allocatable)") }
            if isolated != zone[z].isolatedFree { bad("zone \(z): isolated truth \(zone[z].isolatedFree) ≠ lists \(isolated)") }
        }
        // Coverage: every online frame belongs to exactly one block; offline frames are reserved.
        var heads = 0
        let ramless = ramlessRanges
        for b in 0..<blockOnline.count {
            let (start, end) = blockRange(b)
            var p = start
            if !blockOnline[b] {
                if let q = firstFrame(notOfKind: .reserved, from: p, to: end) { bad("offline frame \(hex(q)) not reserved") }
                continue
            }
            while p < end {
                let k = kind(p), o = order(p)
                switch k {
                case .buddy, .allocated, .pcp:
                    if p & ((1 << o) - 1) != 0 { bad("\(k) head \(hex(p)) misaligned for order \(o)") }
                    if p + (1 << o) > end { bad("\(k) block \(hex(p)) order \(o) crosses memory block \(b)'s end"); p = end; continue }
                    if zoneOf(p) != zoneOf(p + (1 << o) - 1) { bad("block \(hex(p)) order \(o) crosses a zone boundary") }
                    // Word-wise (Machine+KindScan.swift); a frame the scan stops at is judged by
                    // `kind` itself, which reads an unknown kind as `.none`.
                    var q = p + 1
                    while let f = firstFrame(notOfKind: .none, from: q, to: p + (1 << o)) {
                        if kind(f) != .none { bad("frame \(hex(f)) inside block \(hex(p)) order \(o) is a \(kind(f)) too"); break }
                        q = f + 1
                    }
                    if k == .buddy { heads += 1 } else if k == .allocated, AllocInfo(raw: info[index(p)]).handled {
                        let h = Int(next[index(p)])
                        if !handlePfn.contains(h) || handlePfn[h] != UInt32(p) { bad("allocated \(hex(p)) has a stale handle") }
                    }
                    p += 1 << o
                case .none: bad("frame \(hex(p)) is covered by no block"); p += 1
                case .reserved:
                    // Absent memory (a hole, or outside every zone) stays reserved; RAM must not.
                    if let r = ramless.first(where: { $0.contains(p) }) {
                        if let q = firstFrame(notOfKind: .reserved, from: p, to: min(r.upperBound, end)) {
                            bad("absent frame \(hex(q)) is a \(kind(q))")
                        }
                        p = min(r.upperBound, end)
                    } else { bad("online frame \(hex(p)) is reserved"); p += 1 }
                }
            }
        }
        if heads != listed { bad("\(heads) free heads in memory but \(listed) on the lists") }
        for v in pcpViolations() { bad(v) }
        // Walked in place: `handlePfn.live` built a 16-byte pair per live allocation on every
        // check (12.6 MB at a half-filled 4 GiB machine, above the run's own footprint).
        for h in 0..<handlePfn.count where handlePfn[h] != frameNil {
            let pfn = Int(handlePfn[h])
            if !pfnValid(pfn) || kind(pfn) != .allocated || Int(next[index(pfn)]) != h {
                bad("handle \(h) points at \(hex(pfn)) which is not its allocated head")
            }
        }
        return out
    }
}
