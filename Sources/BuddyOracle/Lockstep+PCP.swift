import BuddyCore

/// The per-cpu part of the lockstep comparison. Default mode (the kernel booted with
/// `buddylab_nopcp`, the model without pcp lists): any non-empty kernel pcp list is a
/// difference. `--pcp` mode (the log says `pcp=on`, the model imported the pagesets): every
/// list is compared block by block in list order, the cached migratetypes (≤ 6.9, `pcpmt`) page
/// by page, and every `pcpset` field both sides have by value. Foreign page events are
/// replayed through the pcp lists too (`Machine.foreignAlloc` / `foreignFree`).
extension Lockstep {
    static func pcpDifferences(_ s: OracleState, _ model: any KernelModel) -> [StateDifference] {
        guard let view = model.pcpView() else { return pcpDifferences(s) }
        return PCPComparator.compare(kernel: s, simulator: view)
    }
}

public enum PCPComparator {
    /// Differences between the kernel's pagesets in `k` and the simulator's `s`. Pure.
    public static func compare(kernel k: OracleState, simulator s: PCPView) -> [StateDifference] {
        var out: [StateDifference] = []
        for ks in k.pcpSets {
            guard let ss = s.sets.first(where: { $0.cpu == ks.cpu }) else {
                out.append(.init(kind: .pcp, kernel: "cpu \(ks.cpu)", simulator: "no such CPU", what: "pcpset cpu \(ks.cpu)"))
                continue
            }
            for key in ks.fields.keys.sorted() {
                guard let sv = ss.fields[key], let kv = ks.fields[key], sv != kv else { continue }
                out.append(.init(kind: .pcp, kernel: "\(kv)", simulator: "\(sv)", what: "pcp cpu \(ks.cpu) \(key)"))
            }
        }
        struct Key: Hashable { var cpu: Int, order: Int, list: MigrateType }
        var kl: [Key: [Int]] = [:], sl: [Key: [Int]] = [:]
        for p in k.pcp { kl[Key(cpu: p.cpu, order: p.order, list: p.list)] = p.pfns }
        for p in s.lists { sl[Key(cpu: p.cpu, order: p.order, list: p.list)] = p.pfns }
        let keys = Set(kl.keys).union(sl.keys).sorted { ($0.cpu, $0.order, $0.list.rawValue) < ($1.cpu, $1.order, $1.list.rawValue) }
        for key in keys {
            let a = kl[key] ?? [], b = sl[key] ?? []
            guard a != b else { continue }
            let first = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
            let at = first < a.count ? a[first] : b[first]
            out.append(.init(kind: .pcp, pfn: at, order: key.order, list: key.list,
                             kernel: "\(a.count) blocks \(StateComparator.render(a))", simulator: "\(b.count) blocks \(StateComparator.render(b))",
                             what: "pcp cpu \(key.cpu) order \(key.order) \(key.list.oracleName): first difference at position \(first) (pfn \(hexString(at)))"))
        }
        // Cached migratetypes: only where both sides keep them and the lists agree.
        if !k.pcpCached.isEmpty, !s.cached.isEmpty {
            for kc in k.pcpCached {
                let key = Key(cpu: kc.cpu, order: kc.order, list: kc.list)
                guard kl[key] == sl[key], let sc = s.cached.first(where: { $0.cpu == kc.cpu && $0.order == kc.order && $0.list == kc.list }),
                      sc.types != kc.types, let pos = zip(kc.types, sc.types).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset
                else { continue }
                let pfn = kl[key]?[pos]
                out.append(.init(kind: .pcp, pfn: pfn, order: kc.order, list: kc.list,
                                 kernel: kc.types[pos].oracleName, simulator: sc.types[pos].oracleName,
                                 what: "cached migratetype of pcp cpu \(kc.cpu) order \(kc.order) \(kc.list.oracleName) position \(pos) (pfn \(pfn.map(hexString) ?? "?"))"))
            }
        }
        return out
    }
}
