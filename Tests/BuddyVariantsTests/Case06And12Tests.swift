import Testing
import BuddyCore
import BuddyVariants

@Suite struct CrossBlockMergeTests {
    /// §10 case 6: P1 ISOLATE with a free order-9 on the ISOLATE list; free a counted order-9
    /// page in P0: E2012 rules merge onto MOVABLE (−512 drift); 5.18 rules refuse (drift 0).
    func run<S>(_ m: Machine<S>) -> (Int, Int) {
        for base in [0x0, 0x800, 0xc00] { _ = m.allocate(atPfn: base, order: 10, type: .unmovable, compound: false) }
        let (_, h0) = m.allocate(atPfn: 0x400, order: 9, type: .movable, compound: true)
        #expect(m.setMigratetypeIsolate(0x600) == 512)
        m.free(handle: h0)
        let d = drift(m)
        m.unsetMigratetypeIsolate(0x600, to: .movable)
        #expect(m.structuralViolations().isEmpty)
        return (d, drift(m))
    }

    @Test func e2012MergeDriftsMinus512() {
        let m = Machine<V38>(layout: layout())
        #expect(run(m) == (-512, -512))
        #expect(m.listContents(zone: 0, order: 10, .movable) == [0x400])
    }

    @Test func v518RefusesTheMerge() {
        #expect(run(Machine<V518>(layout: layout())) == (0, 0))
    }
}

@Suite struct SplitOrderTests {
    /// §10 case 12: pfn 0x10000, offset 0xc000 → 0x8000 then 0x4000 (fixed); v11 0x4000 first.
    @Test func splitFreePageOrderSequence() {
        let fixed = Machine<V519>.splitPieces(pfn: 0x10000, order: 16, offset: 0xc000, v11: false)
        #expect(fixed.prefix(2).map { 1 << $0.order } == [0x8000, 0x4000])
        #expect(fixed.reduce(0) { $0 + (1 << $1.order) } == 0x10000)
        let v11 = Machine<V11>.splitPieces(pfn: 0x10000, order: 16, offset: 0xc000, v11: true)
        #expect(1 << v11[0].order == 0x4000)
    }
}
