import BuddyCore
import BuddyOracle
import Testing

/// A kernel allocation replayed in lockstep that lies outside its type's pageblocks was a
/// fallback: `__rmqueue_fallback` took it and claimed the block (`steal_suitable_fallback`,
/// Debian 6.1.192 mm/page_alloc.c). The simulator replays it through its own allocator, which
/// must take the very same page, claim included (SimulatedKernel+FallbackReplay.swift; found at
/// 6.1 seed 3, command 685: an unmap's mmu_gather page claimed a reclaimable block).
@Suite struct FallbackReplayTests {
    /// State 0 of the synthetic log: UNMOVABLE free pages at 0x1f0 (order 0) and 0x1f8 (order 3)
    /// in pageblock 0, then movable order-9 at 0x600 and order-10 blocks 0x800, 0xc00. With the
    /// two unmovable pieces taken, an order-0 unmovable request falls back to MOVABLE's largest
    /// block, the list head 0x800 (order 10 ≥ pageblock_order: both its pageblocks become
    /// UNMOVABLE, `change_pageblock_range`), and gets its first page.
    func model() throws -> (any KernelModel, OracleLog) {
        let log = try Fixture.log("synthetic-6.1.log")
        let m = try makeKernelModel(variant: try Fixture.variant("linux-6.1"), log: log)
        #expect(m.replay(ForeignEvent(isAlloc: true, pfn: 0x1f0, order: 0, type: .unmovable)) == .ok)
        #expect(m.replay(ForeignEvent(isAlloc: true, pfn: 0x1f8, order: 3, type: .unmovable)) == .ok)
        return (m, log)
    }

    func blockTypes(_ m: any KernelModel, _ log: OracleLog) -> [MigrateType] {
        m.snapshot(like: log.initial.snapshot).pageblocks
    }

    @Test func theFallbackClaimsItsBlock() throws {
        let (m, log) = try model()
        #expect(m.replay(ForeignEvent(isAlloc: true, pfn: 0x800, order: 0, type: .unmovable)) == .ok)
        #expect(m.takeSideProblems().isEmpty)
        // pageblocks 4 and 5 (0x800, 0xa00) claimed; the rest as imported (UMMMMMMM).
        #expect(blockTypes(m, log) == [.unmovable, .movable, .movable, .movable, .unmovable, .unmovable, .movable, .movable])
        #expect(m.violations().isEmpty)
    }

    /// The kernel's page is not the one the model's fallback takes: said, not hidden.
    @Test func aDifferentPageIsReported() throws {
        let (m, log) = try model()
        _ = m.replay(ForeignEvent(isAlloc: true, pfn: 0xc00, order: 0, type: .unmovable))
        let problems = m.takeSideProblems()
        #expect(problems.count == 1 && problems[0].contains("took 0x800, the kernel 0xc00"))
        #expect(blockTypes(m, log)[6] == .movable)
    }
}
