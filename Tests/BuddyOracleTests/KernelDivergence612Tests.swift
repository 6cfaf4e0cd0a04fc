import BuddyCore
import BuddyOracle
import BuddyVariants
import Testing

/// Regression tests for the places where `linux-6.12` disagreed with the real Linux 6.12.117
/// (Debian's linux-source-6.12, mm/page_alloc.c and mm/page_isolation.c) in the lockstep runs
/// of `buddylab oracle --kernel 6.12`. Each starts from a small imported state (4096 pages,
/// all memory not listed free pinned, per-cpu lists off as in the oracle) and runs the driver
/// commands that diverged; expectations are the kernel's. Where the older code is still a
/// variant (`linux-6.10` before the 6.11/6.15 changes) its different result is pinned too.
@Suite struct KernelDivergence612Tests {
    /// A 4096-page zone at pfn 0 with the given free lists and pageblock types; counters as the
    /// kernel keeps them (ISOLATE lists not in NR_FREE_PAGES, but in nr_free).
    func machine<S: StrategySet>(_: S.Type, _ free: [(order: Int, list: MigrateType, pfns: [Int])],
                                 pageblocks: String) throws -> Machine<S> {
        var lists = ZoneSnapshot.emptyLists(orders: 11)
        var nrFree = [Int](repeating: 0, count: 11)
        var nrFreePages = 0
        for f in free {
            lists[f.order][Int(f.list.rawValue)] = f.pfns
            nrFree[f.order] += f.pfns.count
            if f.list != .isolate { nrFreePages += f.pfns.count << f.order }
        }
        let blocks = pageblocks.map { c in MigrateType.allCases.first { $0.mapCharacter == c } ?? .movable }
        let s = ZoneSnapshot(startPfn: 0, spanned: 4096, present: 4096, managed: 4096, nrFreePages: nrFreePages,
                             nrFreeCMAPages: 0, nrFree: nrFree, pageblockStart: 0, pageblocks: blocks, freeLists: lists)
        return try Machine<S>.importing(s, geometry: .x86_64, watermarks: ZoneWatermarks(min: 0, low: 0, high: 0, boost: 0))
    }

    /// v6.10+ `set_migratetype_isolate()` → `move_freepages_block_isolate()`: a block that is
    /// the tail of a free order-10 buddy (`find_large_buddy`) or the start of one has that
    /// buddy split into pageblocks by `split_large_buddy()`, each piece freed on its own
    /// block's list; no ISOLATE piece merges with a MOVABLE one. Isolating [0x200, 0xa00)
    /// over four free order-10 blocks leaves four order-9 blocks on the ISOLATE list in the
    /// kernel's order. Real kernel: the seed-1 run parted here at command 10,
    /// `isolate 0x14200 2048 offline` (ISOLATE order 9: [0x14400 0x14800 0x14200 0x14600]).
    @Test(arguments: [true, false]) func isolationSplitsStraddlingMaxOrderBlocks(v612: Bool) throws {
        func check<S: StrategySet>(_ m: Machine<S>) {
            #expect(m.isolatePageRange(0x200, 0xa00) == .ok)
            #expect(m.listContents(zone: 0, order: 9, .isolate) == [0x400, 0x800, 0x200, 0x600])
            #expect(m.listContents(zone: 0, order: 9, .movable) == [0xa00, 0x000])
            #expect(m.listContents(zone: 0, order: 10, .movable) == [0xc00])
            #expect(m.nrFree[9] == 6 && m.nrFree[10] == 1)
            #expect(m.zone[0].nrFreePages == 2048)
            #expect((0..<8).map { m.blockType($0 * 0x200) }
                    == [.movable, .isolate, .isolate, .isolate, .isolate, .movable, .movable, .movable])
        }
        let free: [(order: Int, list: MigrateType, pfns: [Int])] = [(10, .movable, [0x000, 0x400, 0x800, 0xc00])]
        if v612 { check(try machine(Linux612.self, free, pageblocks: "MMMMMMMM")) }
        else { check(try machine(Linux610.self, free, pageblocks: "MMMMMMMM")) }
    }

    /// v6.10+ `isolate_single_pageblock()`: a compound page straddling the boundary that is not
    /// hugetlb is no longer migrated ("not expected to exceed pageblock_order"): the boundary
    /// block is un-isolated and the range is -EBUSY. From the source only: the oracle driver
    /// allocates no compound pages.
    @Test func straddlingCompoundPageFailsIsolation() throws {
        let m = try machine(Linux612.self, [(10, .movable, [0x000, 0x800, 0xc00])], pageblocks: "MMMMMMMM")
        let (r, h) = m.allocate(atPfn: 0x000, order: 10, type: .movable, compound: true)
        #expect(r == .ok && h >= 0)
        #expect(m.isolatePageRange(0x200, 0x400) == .ebusy)
        #expect(m.blockType(0x200) == .movable)
        #expect(m.kind(0x000) == .allocated)
        #expect(m.listContents(zone: 0, order: 10, .movable) == [0x800, 0xc00])
    }

    /// 6.12 `free_one_page()` → `split_large_buddy()`: an order-10 free whose pageblocks have
    /// different types is freed as two order-9 pieces, each with its own block's type; the
    /// second (MOVABLE) merges with the first (RECLAIMABLE) and `__free_one_page` retypes the
    /// buddy's block (`change_pageblock_range`), so the order-10 block ends on the MOVABLE list.
    /// v6.10 freed it whole with the first block's type. The blocks got their types from an
    /// order-10 RECLAIMABLE allocation claiming a MOVABLE block, then isolate/unisolate of the
    /// second block (which writes MOVABLE). Real kernel: the seed-1 run parted here at command
    /// 886, `free 203` (order 10 at 0xfc00: kernel MOVABLE list, simulator RECLAIMABLE).
    @Test(arguments: [true, false]) func freeAboveAPageblockIsSplitIntoPageblocks(v612: Bool) throws {
        func run<S: StrategySet>(_ m: Machine<S>) -> Machine<S> {
            let h = m.allocatePinned(order: 10, type: .reclaimable)
            #expect(h >= 0 && m.handlePfn[h] == 0x000)
            #expect(m.blockType(0x000) == .reclaimable && m.blockType(0x200) == .reclaimable)
            #expect(m.isolatePageRange(0x200, 0x400) == .ok)
            m.undoIsolatePageRange(0x200, 0x400, to: .movable)
            #expect(m.blockType(0x200) == .movable)
            m.free(handle: h)
            #expect(m.zone[0].nrFreePages == 1024 && m.nrFree[10] == 1 && m.nrFree[9] == 0)
            return m
        }
        let free: [(order: Int, list: MigrateType, pfns: [Int])] = [(10, .movable, [0x000])]
        if v612 {
            let m = run(try machine(Linux612.self, free, pageblocks: "MMUUUUUU"))
            #expect(m.listContents(zone: 0, order: 10, .movable) == [0x000])
            #expect(m.blockType(0x000) == .movable && m.blockType(0x200) == .movable)
        } else {
            let m = run(try machine(Linux610.self, free, pageblocks: "MMUUUUUU"))
            #expect(m.listContents(zone: 0, order: 10, .reclaimable) == [0x000])
            #expect(m.blockType(0x000) == .reclaimable && m.blockType(0x200) == .movable)
        }
    }

    /// 6.12.117 `__rmqueue_claim()` / `try_to_steal_block()` (the v6.15 split, backported): a
    /// RECLAIMABLE request meets the largest fallback block, order 7 in an UNMOVABLE block, but
    /// cannot claim it (128 free + 0 alike < 256), so the claim search goes on down and claims
    /// the MOVABLE block of the order-2 block (4 free + 508 pinned non-movable pages count as
    /// alike); the request is then served from the block's pages on the RECLAIMABLE lists.
    /// v6.10 `__rmqueue_fallback()` split the order-7 block on the UNMOVABLE list instead.
    /// Real kernel: a 10,000-command seed-1 run without this parts at command 5537,
    /// `alloc 2 reclaimable` (kernel 0x12dc claiming block 0x1200, simulator 0x10e80).
    @Test(arguments: [true, false]) func claimPassesOverABlockItCannotClaim(v612: Bool) throws {
        let free: [(order: Int, list: MigrateType, pfns: [Int])] = [(7, .unmovable, [0x080]), (2, .movable, [0x204])]
        if v612 {
            let m = try machine(Linux612.self, free, pageblocks: "UMMMMMMM")
            let h = m.allocatePinned(order: 0, type: .reclaimable)
            #expect(h >= 0 && m.handlePfn[h] == 0x204)
            #expect(m.blockType(0x200) == .reclaimable && m.blockType(0x000) == .unmovable)
            #expect(m.listContents(zone: 0, order: 1, .reclaimable) == [0x206])
            #expect(m.listContents(zone: 0, order: 0, .reclaimable) == [0x205])
            #expect(m.listContents(zone: 0, order: 7, .unmovable) == [0x080])
            #expect(m.zone[0].nrFreePages == 131)
        } else {
            let m = try machine(Linux610.self, free, pageblocks: "UMMMMMMM")
            let h = m.allocatePinned(order: 0, type: .reclaimable)
            #expect(h >= 0 && m.handlePfn[h] == 0x080)
            #expect(m.blockType(0x200) == .movable && m.blockType(0x000) == .unmovable)
            #expect(m.listContents(zone: 0, order: 2, .movable) == [0x204])
            #expect(m.listContents(zone: 0, order: 6, .unmovable) == [0x0c0])
            #expect(m.listContents(zone: 0, order: 0, .unmovable) == [0x081])
            #expect(m.zone[0].nrFreePages == 131)
        }
    }

    /// `prep_move_freepages_block()` (v6.10+) counts movable pages with `PageLRU` pfn by pfn, a
    /// PF_HEAD flag, so all 128 pages of an LRU (movable) compound order-7 page count as alike
    /// for a MOVABLE request: 128 free + 128 alike ≥ 256 claims the UNMOVABLE block
    /// (`try_to_steal_block`; v6.10 `steal_suitable_fallback` the same). Counting the head only
    /// (129 < 256) would split the free block on the UNMOVABLE list instead. From the source
    /// only: the oracle driver allocates no compound pages.
    @Test(arguments: [true, false]) func compoundMovablePageCountsWholeForAClaim(v612: Bool) throws {
        func check<S: StrategySet>(_ m: Machine<S>) {
            let (r, _) = m.allocate(atPfn: 0x000, order: 7, type: .movable, compound: true)
            #expect(r == .ok)
            #expect(m.listContents(zone: 0, order: 7, .unmovable) == [0x080])
            let h = m.allocatePinned(order: 0, type: .movable)
            #expect(h >= 0 && m.handlePfn[h] == 0x080)
            #expect(m.blockType(0x000) == .movable)
            #expect(m.listContents(zone: 0, order: 6, .movable) == [0x0c0])
            #expect(m.listContents(zone: 0, order: 0, .movable) == [0x081])
            #expect(m.zone[0].nrFreePages == 127)
        }
        let free: [(order: Int, list: MigrateType, pfns: [Int])] = [(8, .unmovable, [0x000])]
        if v612 { check(try machine(Linux612.self, free, pageblocks: "UMMMMMMM")) }
        else { check(try machine(Linux610.self, free, pageblocks: "UMMMMMMM")) }
    }
}
