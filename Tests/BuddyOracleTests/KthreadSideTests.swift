import BuddyCore
import BuddyOracle
import Testing

/// `kcompactd ORDER` runs on a kthread the driver creates in the batch's task, and
/// `kthread_create_on_node`'s kmalloc can grow a slab there: a `side alloc` of the command that
/// compaction never makes (its targets are isolated free pages, no `mm_page_alloc`). The model
/// replays it at its pfn (SimulatedKernel+KthreadSide.swift). Found by a 100,000-command run on
/// 6.1.192: `kcompactd 3` at command 248 allocated 0x1263 and compacted nothing.
@Suite struct KthreadSideTests {
    /// The synthetic 6.1 log's state 0, then `kcompactd 3` on a zone that has free order-3+
    /// blocks (`compaction_suitable` answers SUCCESS: no pass), during which the kernel's slab
    /// took the free unmovable page 0x1f0 (and, with `free`, gave it back inside the command).
    func log(freedAgain: Bool) throws -> OracleLog {
        let text = try Fixture.text("synthetic-6.1.log")
        let state0 = text.split(separator: "\n", omittingEmptySubsequences: false).prefix { $0 != "end" }
        let lists = freedAgain
            ? ["nr_free Normal 1 0 0 1 0 0 0 0 0 1 2", "free Normal 0 unmovable 0x1f0"]
            : ["nr_free Normal 0 0 0 1 0 0 0 0 0 1 2"]
        let state1 = ["cmd 1 kcompactd 3", "result 1 ok", "state 1",
                      "counters Normal nr_free_pages=\(freedAgain ? 2569 : 2568) nr_free_cma_pages=0",
                      lists[0], "pageblocks Normal 0x0 UMMMMMMM"] + lists.dropFirst() + [
                      "free Normal 3 unmovable 0x1f8", "free Normal 9 movable 0x600",
                      "free Normal 10 movable 0x800 0xc00", "side alloc 0x1f0 0 unmovable"]
            + (freedAgain ? ["side free 0x1f0 0 unmovable"] : []) + ["end", "done"]
        return try OracleLogParser.parse((state0.map(String.init) + ["end"] + state1).joined(separator: "\n"), file: "kthread.log")
    }

    @Test(arguments: [false, true]) func kcompactdSideAllocIsReplayed(freedAgain: Bool) throws {
        let o = Lockstep.run(log: try log(freedAgain: freedAgain), variant: try Fixture.variant("linux-6.1"))
        #expect(o.commandsCompared == 1)
        #expect(o.mismatch == nil, "\(o.mismatch.map(LockstepText.mismatch) ?? "")")
    }
}
