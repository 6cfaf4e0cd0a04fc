import BuddyCore
@testable import BuddyOracle
import Testing

/// `kcompactd ORDER` runs `kcompactd_do_work()` on a kthread the driver creates per command, and
/// the probes count that thread as the batch's task. kthreadd allocates the thread's pages
/// (`foreign alloc`); the thread frees one of them as it exits (`side free` of the same pfn and
/// order). Seen on Debian 6.12.118 x86_64 (pc seed 1, `kcompactd 3` at command 277): foreign
/// allocs 0x105628/1, 0x10562c/2, 0x10562a/1, foreign frees of the last two, side free
/// 0x105628/1 — the kernel's state then has 0x105628 free at order 3.
@Suite struct KcompactdThreadSideTests {
    func step(_ command: OracleCommand, foreign: [ForeignEvent], side: [ForeignEvent]) throws -> OracleStep {
        var state = try Fixture.log("kernel-6.1-neighbour-unmovable-cma64M.log").initial
        state.foreign = foreign
        state.side = side
        return OracleStep(index: 1, command: command, result: OracleResult("ok"), state: state, line: 0, bench: [])
    }

    @Test func theThreadsOwnFreeIsReplayedAfterTheForeignEvents() throws {
        let log = try Fixture.log("kernel-6.1-neighbour-unmovable-cma64M.log")
        // an order-3 free block of the fixture's state 0, carved as the 6.12 kernel did
        let base = try #require(log.initial.snapshot.freeLists[3].flatMap { $0 }.first)
        let foreign = [ForeignEvent(isAlloc: true, pfn: base, order: 1, type: .unmovable),
                       ForeignEvent(isAlloc: true, pfn: base + 4, order: 2, type: .unmovable),
                       ForeignEvent(isAlloc: true, pfn: base + 2, order: 1, type: .unmovable),
                       ForeignEvent(isAlloc: false, pfn: base + 2, order: 1, type: .unmovable),
                       ForeignEvent(isAlloc: false, pfn: base + 4, order: 2, type: .unmovable)]
        let threadFree = ForeignEvent(isAlloc: false, pfn: base, order: 1, type: .unmovable)
        // a side free of a page nobody allocated in the command is compaction's, not the thread's
        let migrationFree = ForeignEvent(isAlloc: false, pfn: base + 0x1000, order: 0, type: .movable)
        let s = try step(.kcompactd(order: 3), foreign: foreign, side: [migrationFree, threadFree])
        #expect(LockstepMachine.threadSideEvents(s) == [threadFree])
        #expect(LockstepMachine.threadSideEvents(try step(.compact, foreign: foreign, side: [threadFree])) == [])

        let model = try makeKernelModel(variant: try Fixture.variant("linux-6.12"), log: log)
        let before = model.snapshot(like: log.initial.snapshot).freeLists
        for e in foreign + LockstepMachine.threadSideEvents(s) { #expect(model.replay(e) == .ok) }
        #expect(model.snapshot(like: log.initial.snapshot).freeLists[3].flatMap { $0 }.contains(base))
        #expect(model.snapshot(like: log.initial.snapshot).freeLists.map { $0.map(Set.init) } == before.map { $0.map(Set.init) })
    }
}
