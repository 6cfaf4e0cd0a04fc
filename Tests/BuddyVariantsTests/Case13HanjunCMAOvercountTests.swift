import Testing
import BuddyCore
import BuddyVariants

/// §10 case 13 / §2.3: Hanjun Guo's CMA stress before d9dddbf55667 (CmaFree 6602584 kB with a
/// 204800 kB pool). Joonsoo Kim's explanation: CMA isolates the two pageblocks of a max-order
/// unit one at a time, each under its own `zone->lock` (CC → IC → II, then II → CI → CC), and a
/// page freed in an intermediate state merges across the ISOLATE|CMA boundary, landing on the
/// freeing side's list and counted (or not) at the freeing side's type.
///
/// buddylab is single-threaded and its `alloc_contig_range` is atomic, so the race is written
/// out as direct operations on a two-pageblock CMA area P0 = [0x400, 0x600), P1 = [0x600, 0x800)
/// in a 4096-page x86_64 zone whose other memory is allocated. One cycle:
/// 1. a movable order-9 page is allocated in one pageblock (CMA list: NR_FREE −512, CMA −512);
/// 2. `set_migratetype_isolate(P0)` (C C → I C);
/// 3. the page is freed in that intermediate state;
/// 4. `set_migratetype_isolate(P1)` (→ I I);
/// 5. `unset_migratetype_isolate(P0, CMA)` (→ C I);
/// 6. `unset_migratetype_isolate(P1, CMA)` (→ C C).
@Suite struct HanjunCMAOvercountTests {
    static let p0 = 0x400, p1 = 0x600

    func machine<S: StrategySet>(_: S.Type) -> Machine<S> {
        let m = Machine<S>(layout: layout())
        for base in [0x000, 0x800, 0xc00] {
            #expect(m.allocate(atPfn: base, order: 10, type: .unmovable, compound: false).0 == .ok)
        }
        #expect(m.activateCMA(name: "cma", basePfn: Self.p0, pages: 1024) == .ok)
        #expect(m.listContents(zone: 0, order: 10, .cma) == [Self.p0])
        #expect(m.zone[0].nrFreePages == 1024 && m.zone[0].nrFreeCMAPages == 1024)
        return m
    }

    /// NR_FREE_CMA_PAGES minus the pages on CMA free lists.
    func cmaDrift<S>(_ m: Machine<S>) -> Int { m.zone[0].nrFreeCMAPages - m.truthFreeCMA(zone: 0) }

    struct Cycle: Equatable {
        /// Pages `move_freepages_block` moved (or the un-isolate re-free took) at steps 2, 4, 5, 6.
        var moved: [Int]
        /// NR_FREE_PAGES drift after each of the six steps.
        var driftPerStep: [Int]
    }

    /// One cycle. `allocIn` is the pageblock whose page is allocated at step 1 and freed at step
    /// 3: P1 frees into the CMA side while P0 (isolated) holds the free buddy — the case
    /// 3c605096d315 (v3.18) left open; P0 frees into the isolated side itself.
    func cycle<S>(_ m: Machine<S>, allocIn: Int) -> Cycle {
        var d: [Int] = [], moved: [Int] = []
        let (r, h) = m.allocate(atPfn: allocIn, order: 9, type: .movable, compound: true)
        #expect(r == .ok)
        d.append(drift(m))
        moved.append(m.setMigratetypeIsolate(Self.p0, forCMA: true) ?? -1); d.append(drift(m))
        m.free(handle: h); d.append(drift(m))
        moved.append(m.setMigratetypeIsolate(Self.p1, forCMA: true) ?? -1); d.append(drift(m))
        moved.append(m.unsetMigratetypeIsolate(Self.p0, to: .cma)); d.append(drift(m))
        moved.append(m.unsetMigratetypeIsolate(Self.p1, to: .cma)); d.append(drift(m))
        #expect(m.blockType(Self.p0) == .cma && m.blockType(Self.p1) == .cma)
        #expect(m.listContents(zone: 0, order: 10, .cma) == [Self.p0])   // truth: the unit is whole and free
        #expect(m.structuralViolations().isEmpty)
        return Cycle(moved: moved, driftPerStep: d)
    }

    /// (NR_FREE_PAGES drift, NR_FREE_CMA_PAGES drift, NR_FREE_CMA_PAGES) after each of `n` cycles.
    func run<S: StrategySet>(_: S.Type, allocIn: Int, cycles n: Int = 5) -> (drift: [Int], cmaDrift: [Int], cmaFree: [Int]) {
        let m = machine(S.self)
        var out: (drift: [Int], cmaDrift: [Int], cmaFree: [Int]) = ([], [], [])
        for _ in 0..<n {
            _ = cycle(m, allocIn: allocIn)
            out.drift.append(drift(m)); out.cmaDrift.append(cmaDrift(m)); out.cmaFree.append(m.zone[0].nrFreeCMAPages)
        }
        #expect(m.zone[0].allocatableFree == 1024 && m.truthFreeCMA(zone: 0) == 1024)
        return out
    }

    static let growing = [512, 1024, 1536, 2048, 2560]

    /// 2012 merge rules with move-time accounting (linux-3.7, linux-3.8), free into the CMA side:
    /// step 3 counts +512 at CMA and merges P1 with P0's isolated order-9 block onto the CMA list
    /// (1024 allocatable: drift −512); step 4 finds no head in P1 (a tail now), moves 0; step 5
    /// finds the order-10 head in P0 and adds all 1024, 512 of which step 3 already counted:
    /// +512 per cycle, in NR_FREE_PAGES and NR_FREE_CMA_PAGES alike.
    @Test func freeIntoCMASideOvercounts512PerCycle() {
        let m = machine(V38.self)
        #expect(cycle(m, allocIn: Self.p1) == Cycle(moved: [512, 0, 1024, 0], driftPerStep: [0, 0, -512, -512, 512, 512]))
        #expect(cycle(m, allocIn: Self.p1) == Cycle(moved: [512, 0, 1024, 0], driftPerStep: [512, 512, 0, 0, 1024, 1024]))
        for v in [run(V38.self, allocIn: Self.p1), run(V37.self, allocIn: Self.p1)] {
            #expect(v.drift == Self.growing)
            #expect(v.cmaDrift == Self.growing)
            // CmaFree > CmaTotal (1024 pages) from the first cycle on, as Hanjun saw.
            #expect(v.cmaFree == [1536, 2048, 2560, 3072, 3584])
        }
    }

    /// The same rules, free into the isolated side (3.7–3.17 only: 3c605096d315 caps merging when
    /// the freeing block is ISOLATE): the free is uncounted and drags P1's 512 counted pages onto
    /// the ISOLATE list (+512 at once); step 5 then adds all 1024: again +512 per cycle.
    @Test func freeIntoIsolatedSideOvercounts512PerCycle() {
        let m = machine(V38.self)
        #expect(cycle(m, allocIn: Self.p0) == Cycle(moved: [0, 0, 1024, 0], driftPerStep: [0, 0, 512, 512, 512, 512]))
        let v = run(V38.self, allocIn: Self.p0)
        #expect(v.drift == Self.growing)
        #expect(v.cmaDrift == Self.growing)
        #expect(v.cmaFree == [1536, 2048, 2560, 3072, 3584])
    }

    /// linux-3.18 (3c605096d315, Era2014) closes only the isolated-side direction. Free into
    /// the isolated side: the ISOLATE free no longer merges with P1 (0 drift at step 3), step 4
    /// moves P1's 512, step 5 moves P0's 512 back (its buddy block P1 is still ISOLATE: no
    /// re-free), step 6 re-frees P1 (buddy block P0 is CMA now) into a CMA|CMA merge.
    /// Free into the CMA side: the buddy's type is not checked, so P1's free still merges with
    /// P0's isolated order-9 block onto the CMA list, and step 5 re-frees the order-10 head
    /// (3.18 has no MAX_ORDER-1 bound; its buddy at 0x000 is not ISOLATE) counting all 1024:
    /// +512 per cycle, exactly as before 3.18 — the hole Hanjun Guo hit and d9dddbf55667 closed.
    @Test func linux318ClosesOnlyTheIsolatedSide() {
        #expect(cycle(machine(V318.self), allocIn: Self.p0)
                == Cycle(moved: [0, 512, 512, 512], driftPerStep: [0, 0, 0, 0, 0, 0]))
        let isolatedSide = run(V318.self, allocIn: Self.p0)
        #expect(isolatedSide.drift == [0, 0, 0, 0, 0] && isolatedSide.cmaDrift == [0, 0, 0, 0, 0])

        let m = machine(V318.self)
        #expect(cycle(m, allocIn: Self.p1) == Cycle(moved: [512, 0, 1024, 0], driftPerStep: [0, 0, -512, -512, 512, 512]))
        let cmaSide = run(V318.self, allocIn: Self.p1)
        #expect(cmaSide.drift == Self.growing)
        #expect(cmaSide.cmaDrift == Self.growing)
        #expect(cmaSide.cmaFree == [1536, 2048, 2560, 3072, 3584])
    }

    /// d9dddbf55667 (linux-4.6) and 1dd214b8f21c (linux-5.18, and the 5.19 variants) refuse the
    /// ISOLATE|CMA merge: each pageblock's order-9 block is moved and counted on its own (512 at
    /// every step), the un-isolate of P1 re-frees its block into a CMA|CMA merge, drift 0 always.
    @Test func mergeRestrictionKeepsDriftZero() {
        for allocIn in [Self.p1, Self.p0] {
            let isolatedFreeAtStep2 = allocIn == Self.p1 ? 512 : 0
            let expected = Cycle(moved: [isolatedFreeAtStep2, 512, 512, 512], driftPerStep: [0, 0, 0, 0, 0, 0])
            #expect(cycle(machine(V46.self), allocIn: allocIn) == expected)
            #expect(cycle(machine(V518.self), allocIn: allocIn) == expected)
            #expect(cycle(machine(V519.self), allocIn: allocIn) == expected)
            for v in [run(V46.self, allocIn: allocIn), run(V518.self, allocIn: allocIn), run(V519.self, allocIn: allocIn)] {
                #expect(v.drift == [0, 0, 0, 0, 0])
                #expect(v.cmaDrift == [0, 0, 0, 0, 0])
                #expect(v.cmaFree == [1024, 1024, 1024, 1024, 1024])
            }
        }
    }

    /// The over-count needs move-time accounting: design A (linux-3.5) with the same 2012 merges
    /// adds nothing at isolation or un-isolation, so a cycle ends where it began (the isolated
    /// pages it counts as free are the transient +512 of its own design).
    @Test func linux35EndsEachCycleAtZero() {
        let m = machine(V35.self)
        #expect(cycle(m, allocIn: Self.p1) == Cycle(moved: [512, 0, 1024, 0], driftPerStep: [0, 512, 0, 0, 0, 0]))
        let v = run(V35.self, allocIn: Self.p1)
        #expect(v.drift == [0, 0, 0, 0, 0] && v.cmaDrift == [0, 0, 0, 0, 0])
    }
}
