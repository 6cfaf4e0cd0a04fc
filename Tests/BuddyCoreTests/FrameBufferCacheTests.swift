import BuddyCore
import BuddyVariants
import Testing

/// `FrameBufferCache`: a worker's next machine reuses the last one's frame arrays (issue 25).
/// Reuse must be invisible: a machine built on a dirty buffer is the booted machine
/// (`memmap_init` + `memblock_free_all`: every frame free in max-order blocks), as one built on
/// fresh memory is.
@Suite struct FrameBufferCacheTests {
    /// Dirty a machine (allocations everywhere, links and state bytes written), drop it, build
    /// another of the same layout from the cache: the same free lists, counters and frame bytes
    /// as a machine on fresh memory, and no structural violation.
    @Test func aReusedBufferBootsTheSameMachine() {
        let cache = FrameBufferCache()
        var layout = smallLayout(pages: 4096)
        layout.perCPUListsEnabled = false
        do {
            let dirty = Machine<Mainline519>(layout: layout, frameBuffers: cache)
            _ = fillCompletely(dirty)
            #expect(dirty.zone[0].nrFreePages == 0)
        }
        #expect(cache.keptCount == 2)   // the link pair and the state/info pair
        let reused = Machine<Mainline519>(layout: layout, frameBuffers: cache)
        #expect(cache.keptCount == 0)   // both taken
        let fresh = Machine<Mainline519>(layout: layout)
        #expect(reused.procBuddyinfo() == fresh.procBuddyinfo())
        #expect(reused.procPagetypeinfo() == fresh.procPagetypeinfo())
        #expect(reused.zone[0].nrFreePages == 4096)
        #expect((0..<4096).allSatisfy {
            reused.state[$0] == fresh.state[$0] && reused.info[$0] == fresh.info[$0]
                && reused.next[$0] == fresh.next[$0] && reused.prev[$0] == fresh.prev[$0]
        })
        #expect(reused.structuralViolations().isEmpty)
        // Same event stream on both: the same pfns.
        let a = (0..<100).map { _ in reused.handlePfn[reused.allocate(zone: 0, order: 0, type: .movable)] }
        let b = (0..<100).map { _ in fresh.handlePfn[fresh.allocate(zone: 0, order: 0, type: .movable)] }
        #expect(a == b)
    }

    /// A machine of another size frees what the cache kept before allocating (a worker never
    /// holds two machines' arrays), and a machine without a cache leaves the cache alone.
    @Test func anotherSizeFreesTheKeptBuffers() {
        let cache = FrameBufferCache()
        do { _ = Machine<Mainline519>(layout: smallLayout(pages: 2048), frameBuffers: cache) }
        #expect(cache.keptCount == 2)
        do { _ = Machine<Mainline519>(layout: smallLayout(pages: 4096)) }
        #expect(cache.keptCount == 2)
        do {
            let m = Machine<Mainline519>(layout: smallLayout(pages: 4096), frameBuffers: cache)
            #expect(cache.keptCount == 0)
            #expect(m.zone[0].nrFreePages == 4096 && m.structuralViolations().isEmpty)
        }
        #expect(cache.keptCount == 2)
    }

    /// Through the runner's path: a program run twice on one cache gives the same result as on
    /// fresh memory (`Simulation.run` with `RunOptions.frameBuffers`).
    @Test func aSimulationOnTheCacheGivesTheSameResult() {
        var layout = smallLayout(pages: 2048)
        layout.perCPUListsEnabled = false
        var events: [ProgramEvent] = []
        for r in 0..<600 { events.append(ProgramEvent(.alloc(request: Int32(r), order: UInt8(r % 3), type: r % 5 == 0 ? .unmovable : .movable, zone: -1, compound: nil, gfp: nil))) }
        for r in stride(from: 0, to: 600, by: 2) { events.append(ProgramEvent(.free(request: Int32(r)))) }
        let program = Program(layout: layout, events: events, requestCount: 600)
        var options = RunOptions()
        let plain = Simulation<Mainline519>(program, options: options).run()
        options.frameBuffers = FrameBufferCache()
        let first = Simulation<Mainline519>(program, options: options).run()
        let second = Simulation<Mainline519>(program, options: options).run()
        for run in [first, second] {
            #expect(run.metrics == plain.metrics)
            #expect(run.pagetypeinfo == plain.pagetypeinfo)
            #expect(run.pageblockFree.map(\.shares) == plain.pageblockFree.map(\.shares))
            #expect(run.violations.isEmpty)
        }
        #expect(plain.metrics["frees"] == 300)
    }
}
