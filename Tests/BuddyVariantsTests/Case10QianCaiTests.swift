import Testing
import BuddyCore
import BuddyVariants

/// §10 cases 10 and 11: Qian Cai's v11 hang and crash, on arm64 4K with RAM at pfn 0x80000.
/// Memory block 0 = [0x80000, 0x80800); an unmovable order-10 compound page (a high-order slab
/// page) at 0x80400 ends exactly at the block boundary 0x80800.
@Suite struct QianCaiTests {
    func machine<S: StrategySet>(_: S.Type, lowHalfBusy: Bool) -> Machine<S> {
        let m = Machine<S>(layout: layout(.arm64_4k, pages: 8192, ramStart: 0x80000, block: 2048))
        #expect(m.allocate(atPfn: 0x80400, order: 10, type: .unmovable, compound: true).0 == .ok)
        if lowHalfBusy {
            #expect(m.allocate(atPfn: 0x80000, order: 10, type: .unmovable, compound: false).0 == .ok)
        }
        return m
    }

    @Test func v11LoopsWhenTheSearchFindsALowerFreeBlock() {
        let m = machine(V11.self, lowHalfBusy: false)
        let r = m.offlineBlock(0)
        #expect(r.result == .fault)
        #expect(m.faults.map(\.kind) == ["unbounded-loop"])
        #expect(m.structuralViolations().isEmpty)
    }

    @Test func v11WalksBelowRamStartWhenNothingIsFree() {
        let m = machine(V11.self, lowHalfBusy: true)
        let r = m.offlineBlock(0)
        #expect(r.result == .fault)
        #expect(m.faults.map(\.kind) == ["invalid-pfn"])
        #expect(m.faults.first?.pfn == 0)
        #expect(m.structuralViolations().isEmpty)
    }

    @Test func fixedReturnsEbusy() {
        for busy in [false, true] {
            let m = machine(V519.self, lowHalfBusy: busy)
            #expect(m.offlineBlock(0).result == .ebusy)
            #expect(m.faults.isEmpty)
            #expect((0x80000..<0x80800).allSatisfy { m.blockType($0) != .isolate })
            #expect(m.structuralViolations().isEmpty)
        }
    }

    @Test func registryHasStableIds() {
        // Ids stored results refer to must stay; new variants may be added anywhere.
        let stored = ["linux-3.5", "minchan-2012-06-18", "minchan-2012", "linux-3.6", "linux-3.7",
                      "linux-3.8", "linux-3.18", "linux-4.6", "linux-5.18", "zi-yan-v11", "linux-5.19",
                      "linux-6.1", "linux-6.9", "linux-6.10", "linux-6.12", "linux-6.17"]
        #expect(stored.filter { Variants.named($0) == nil } == [])
        #expect(Variants.ids.filter(stored.contains) == stored)   // and keep their order
        #expect(Set(Variants.ids).count == Variants.all.count)
    }
}
