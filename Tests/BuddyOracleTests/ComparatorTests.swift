import BuddyCore
import BuddyOracle
import Testing

/// The comparator reports a perturbed state at the right pfn, order and list.
@Suite struct ComparatorTests {
    let pb = 512

    @Test func identicalStatesHaveNoDifference() throws {
        let s = try Fixture.log("synthetic-6.1.log").initial.snapshot
        #expect(StateComparator.compare(kernel: s, simulator: s, pageblockPages: pb).isEmpty)
    }

    @Test func swappedListOrderIsReportedAtItsPosition() throws {
        let k = try Fixture.log("synthetic-6.1.log").initial.snapshot
        var s = k
        s.freeLists[10][Int(MigrateType.movable.rawValue)] = [0xc00, 0x800]
        let d = StateComparator.compare(kernel: k, simulator: s, pageblockPages: pb)
        #expect(d.count == 1)
        #expect(d.first?.kind == .freeList && d.first?.order == 10 && d.first?.list == .movable && d.first?.pfn == 0x800)
        #expect(d.first?.what.contains("position 0") == true && d.first?.what.contains("same blocks in another order") == true)
    }

    @Test func movedBlockCountersAndPageblockAreEachReported() throws {
        let k = try Fixture.log("synthetic-6.1.log").steps[4].state.snapshot     // after "isolate 0xa00 512"
        var s = k
        s.freeLists[9][Int(MigrateType.isolate.rawValue)] = []
        s.freeLists[9][Int(MigrateType.movable.rawValue)] = [0xa00, 0x600]
        s.nrFreePages += 512
        s.pageblocks[5] = .movable
        let d = StateComparator.compare(kernel: k, simulator: s, pageblockPages: pb)
        #expect(d.contains { $0.kind == .counter && $0.what == "NR_FREE_PAGES" && $0.kernel == "1537" && $0.simulator == "2049" })
        #expect(d.contains { $0.kind == .freeList && $0.order == 9 && $0.list == .isolate && $0.pfn == 0xa00 })
        // The kernel's list is [0x600]; the simulator's [0xa00, 0x600]: they part at position 0,
        // where the kernel has 0x600, and 0xa00 is the extra block.
        #expect(d.contains { $0.kind == .freeList && $0.order == 9 && $0.list == .movable && $0.pfn == 0x600
                             && $0.what.contains("only in kernel: []; only in simulator: [0xa00]") })
        #expect(d.contains { $0.kind == .pageblock && $0.pfn == 0xa00 && $0.kernel == "isolate" && $0.simulator == "movable" })
        #expect(!d.contains { $0.kind == .nrFree })
    }

    @Test func resultDifferenceNamesBothSides() {
        let d = StateComparator.compare(kernel: OracleResult("ok", handle: 3, pfn: 0x600), simulator: OracleResult("enomem"))
        #expect(d?.description == "result: kernel ok handle=3 pfn=0x600 | simulator enomem")
    }
}
