import Testing
import BuddyCore
import BuddyVariants

/// A deliberately simple reference: a per-page free bitmap. With no isolation and no CMA every
/// design merges fully, so the buddy structure must be the *canonical* decomposition of the
/// free set: (p, o) is a free head iff all its pages are free and its parent block is not
/// entirely free. Counters must equal the reference's counts exactly.
struct ReferenceModel {
    var free: [Bool]
    let maxOrder: Int
    init(pages: Int, maxOrder: Int) { free = Array(repeating: true, count: pages); self.maxOrder = maxOrder }

    func allFree(_ p: Int, _ o: Int) -> Bool { (p..<(p + (1 << o))).allSatisfy { free[$0] } }

    /// Canonical free heads per order.
    func heads() -> [[Int]] {
        var out = Array(repeating: [Int](), count: maxOrder + 1)
        var p = 0
        while p < free.count {
            var placed = false
            for o in stride(from: maxOrder, through: 0, by: -1) where p % (1 << o) == 0 && p + (1 << o) <= free.count {
                if allFree(p, o) { out[o].append(p); p += 1 << o; placed = true; break }
            }
            if !placed { p += 1 }
        }
        return out
    }
}

@Suite struct DifferentialTests {
    /// `holed`: the zone starts at pfn 1 and has the PC's hole at 0x9f–0xff (issue 10): the
    /// reference marks those pfns permanently not free, and the canonical decomposition of the
    /// free set must still be exactly the buddy structure.
    func runSequence<S: StrategySet>(_: S.Type, seed: UInt64, ops: Int, holed: Bool = false) -> Bool {
        var rng = SplitMix64(seed: seed)
        let pages = 2048
        let layout = holed
            ? MachineLayout(geometry: .x86_64, ramStartPfn: 0,
                            zones: [ZoneSpec(name: "Normal", pages: pages - 1, start: 1, holes: [0x9f..<0x100])],
                            memoryBlockPages: 1024)
            : smallLayout(pages: pages)
        let m = Machine<S>(layout: layout)
        var ref = ReferenceModel(pages: pages, maxOrder: 10)
        if holed { for p in [0] + Array(0x9f..<0x100) { ref.free[p] = false } }
        var live: [(handle: Int, pfn: Int, order: Int)] = []
        for _ in 0..<ops {
            if live.isEmpty || rng.next() % 100 < 55 {
                let order = Int(rng.next() % 100 < 80 ? 0 : rng.next() % 5)
                let type = AllocType(rawValue: UInt8(rng.next() % 3))!
                let h = m.allocate(zone: 0, order: order, type: type)
                if h >= 0 {
                    let pfn = Int(m.handlePfn[h])
                    guard pfn % (1 << order) == 0, ref.allFree(pfn, order) else { return false }
                    for q in pfn..<(pfn + (1 << order)) { ref.free[q] = false }
                    live.append((h, pfn, order))
                }
            } else {
                let i = Int(rng.next() % UInt64(live.count))
                let (h, pfn, order) = live.remove(at: i)
                m.free(handle: h)
                for q in pfn..<(pfn + (1 << order)) { ref.free[q] = true }
            }
        }
        let expected = ref.heads()
        let freePages = ref.free.filter { $0 }.count
        guard m.zone[0].nrFreePages == freePages, m.zone[0].allocatableFree == freePages else { return false }
        for o in 0...10 {
            var got: [Int] = []
            for mt in MigrateType.allCases { got += m.listContents(zone: 0, order: o, mt) }
            guard got.sorted() == expected[o], m.nrFree[o] == expected[o].count else { return false }
        }
        let d = m.drift()
        return m.structuralViolations().isEmpty && d.nrFreePages == 0 && d.nrFreeBlocks == 0 && d.nrFreeOrderMismatch == 0
    }

    @Test(arguments: 0..<4)
    func thousandsOfSeededSequencesMatchTheReference(batch: Int) {
        var failures: [UInt64] = []
        for seed in UInt64(batch * 500)..<UInt64(batch * 500 + 500) {
            let ok: Bool
            switch seed % 4 {
            case 0: ok = runSequence(Linux35.self, seed: seed, ops: 300)
            case 1: ok = runSequence(Linux38.self, seed: seed, ops: 300)
            case 2: ok = runSequence(Mainline518.self, seed: seed, ops: 300)
            default: ok = runSequence(Mainline519.self, seed: seed, ops: 300)
            }
            if !ok { failures.append(seed) }
        }
        #expect(failures.isEmpty, "seeds diverging from the reference: \(failures.prefix(10))")
    }

    @Test func holedZoneStartingAtPfn1MatchesTheReference() {
        var failures: [UInt64] = []
        for seed in UInt64(0)..<200 {
            let ok = seed % 2 == 0 ? runSequence(Linux38.self, seed: seed, ops: 300, holed: true)
                                   : runSequence(Mainline519.self, seed: seed, ops: 300, holed: true)
            if !ok { failures.append(seed) }
        }
        #expect(failures.isEmpty, "seeds diverging from the reference: \(failures.prefix(10))")
    }

    @Test func structuralCheckerCatchesCorruption() {
        let m = Machine<Mainline518>(layout: smallLayout())
        #expect(m.structuralViolations().isEmpty)
        m.state[5] = 0x10                    // forge a PageBuddy head inside a free block
        #expect(!m.structuralViolations().isEmpty)
    }

    @Test func sameSeedSameStateByteForByte() {
        func snapshot(seed: UInt64) -> ([UInt8], [UInt32], String) {
            var rng = SplitMix64(seed: seed)
            let m = Machine<Mainline519>(layout: smallLayout(pages: 4096))
            var live: [Int] = []
            for _ in 0..<5000 {
                if live.isEmpty || rng.next() % 2 == 0 {
                    let h = m.allocate(zone: 0, order: Int(rng.next() % 4), type: AllocType(rawValue: UInt8(rng.next() % 3))!)
                    if h >= 0 { live.append(h) }
                } else { m.free(handle: live.remove(at: Int(rng.next() % UInt64(live.count)))) }
            }
            return ((0..<m.frameCount).map { m.state[$0] },
                    (0..<m.frameCount).map { m.next[$0] }, m.procPagetypeinfo())
        }
        let a = snapshot(seed: 42), b = snapshot(seed: 42), c = snapshot(seed: 43)
        #expect(a.0 == b.0 && a.1 == b.1 && a.2 == b.2)
        #expect(a.0 != c.0)
    }
}
