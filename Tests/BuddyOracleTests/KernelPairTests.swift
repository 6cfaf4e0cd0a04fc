import BuddyCore
import BuddyOracle
import Foundation
import Testing

/// `diverge --kernels` / `shrink --kernels` without a kernel (issue 24): the comparison of two
/// logs (what counts as boot noise, where they part), the handle renumbering of a shrunk
/// command list and ddmin.
@Suite struct KernelPairTests {
    static func log() throws -> OracleLog { try Fixture.log("kernel-6.1-random-seed1-first40.log") }

    @Test func identicalLogsNeverPart() throws {
        let l = try Self.log()
        #expect(KernelPair.firstDifference(l, l) == nil)
        #expect(KernelPair.bootNoise(l, l).isEmpty)
    }

    /// Two free blocks of one list swapped after command 5: the pair parts there, not before.
    @Test func listOrderDifferenceIsFoundAtItsCommand() throws {
        let a = try Self.log()
        var b = a
        let s = b.steps[4].state.snapshot
        var found: (Int, Int)?
        for o in 9..<s.freeLists.count { for mt in 0..<s.freeLists[o].count where found == nil && s.freeLists[o][mt].count >= 2 { found = (o, mt) } }
        let (o, mt) = try #require(found)
        for i in 4..<b.steps.count { b.steps[i].state.snapshot.freeLists[o][mt].swapAt(0, 1) }
        let d = try #require(KernelPair.firstDifference(a, b))
        #expect(d.step == 5)
        #expect(d.command?.text == a.steps[4].command.text)
        #expect(d.differences.count == 1)
        #expect(d.differences.first?.what.hasSuffix("same blocks in another order") == true)
    }

    /// An order-0 page free on one boot and not on the other before any command is boot noise:
    /// its pageblock is left out, the counters compare as changes since state 0, and the pair
    /// does not part on it.
    @Test func bootNoiseIsLeftOut() throws {
        let a = try Self.log()
        var b = a
        let pfn = 0x2be4   // cmd 1 allocates it: an order-0 unmovable page
        let pbOrder = a.geometry.pageblockOrder
        let wasFree = a.initial.snapshot.freeLists[0].contains { $0.contains(pfn) }
        b.initial.snapshot.nrFreePages += 7
        b.initial.snapshot.freeLists[0][0].append(0x2bf0)
        for i in b.steps.indices { b.steps[i].state.snapshot.nrFreePages += 7; b.steps[i].state.snapshot.freeLists[0][0].append(0x2bf0) }
        #expect(KernelPair.bootNoise(a, b) == [(0x2bf0 - a.initial.snapshot.pageblockStart) >> pbOrder])
        #expect(KernelPair.firstDifference(a, b) == nil, "wasFree \(wasFree)")
        // A change of the counter after the boot (not matched by the lists) is a difference.
        b.steps[9].state.snapshot.nrFreePages += 1
        #expect(KernelPair.firstDifference(a, b)?.step == 10)
    }

    /// Dropping an allocation drops its free and renumbers the later handles.
    @Test func candidateRenumbersHandles() throws {
        let l = try Self.log()
        let cmds: [OracleCommand] = [.alloc(order: 0, type: .unmovable), .alloc(order: 0, type: .reclaimable),
                                     .alloc(order: 3, type: .reclaimable), .free(handle: 2), .free(handle: 0)]
        var log = l
        log.steps = Array(l.steps.prefix(3))   // results: handles 0, 1, 2
        let s = KernelShrink(commands: cmds, log: log)
        #expect(s.candidate([0, 1, 2, 3, 4]).map(\.text) == ["alloc 0 unmovable", "alloc 0 reclaimable", "alloc 3 reclaimable", "free 2", "free 0"])
        #expect(s.candidate([1, 2, 3, 4]).map(\.text) == ["alloc 0 reclaimable", "alloc 3 reclaimable", "free 1"])
        #expect(s.candidate([0, 2, 3]).map(\.text) == ["alloc 0 unmovable", "alloc 3 reclaimable", "free 1"])
        #expect(s.candidate([3, 4]).isEmpty)
    }

    /// ddmin finds the two indices that together make the difference, 1-minimal.
    @Test func ddminIsOneMinimal() {
        var calls = 0
        let r = KernelShrink.ddmin(count: 40, budget: 1000) { keep in calls += 1; return keep.contains(7) && keep.contains(31) }
        #expect(r.keep == [7, 31])
        #expect(!r.exhausted)
        #expect(r.tests == calls)
        let capped = KernelShrink.ddmin(count: 40, budget: 3) { keep in keep.contains(7) && keep.contains(31) }
        #expect(capped.exhausted && capped.tests == 3)
    }
}
