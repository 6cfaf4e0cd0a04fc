import BuddyCore
import BuddyOracle
import BuddyVariants
import Testing

/// `Machine.importing` builds exactly the kernel's state: dumping it right after the import
/// gives back every list (in list order), counter, `nr_free` and pageblock type of the log.
@Suite struct ImportTests {
    typealias V519 = Combine<PageblockAlignment, AccountingMoveTime, MergeRules518, Era2022>

    @Test func everyStateOfTheLogRoundTrips() throws {
        let log = try Fixture.log("synthetic-6.1.log")
        for state in [log.initial] + log.steps.map(\.state) {
            let s = state.snapshot
            let m = try Machine<V519>.importing(s, geometry: log.geometry, watermarks: log.watermarks)
            let back = m.snapshot(pageblockStart: s.pageblockStart, pageblockCount: s.pageblocks.count)
            #expect(back == s, "state at line \(state.line)")
            #expect(m.structuralViolations().isEmpty)
        }
    }

    /// Issue 18: right after the import, every variant of `Variants.all` (whatever its
    /// accounting: the v6.10 list primitives count as they link, the older designs do not)
    /// holds exactly the log's NR_FREE_PAGES, NR_FREE_CMA_PAGES and `nr_free[]` — on the
    /// synthetic log and on real 6.1 and 6.12 logs.
    @Test(arguments: ["synthetic-6.1.log", "kernel-6.1-smoke-cma64M.log", "kernel-6.12-random-seed1-first10.log"])
    func everyVariantImportsTheLogsCounters(_ name: String) throws {
        let log = try Fixture.log(name)
        #expect(Variants.all.count >= 16)
        for v in Variants.all {
            for state in [log.initial] + log.steps.prefix(5).map(\.state) {
                let s = state.snapshot
                let got = try Self.countersAfterImport(v.strategies, s, log)
                #expect(got.nrFreePages == s.nrFreePages && got.nrFreeCMAPages == s.nrFreeCMAPages && got.nrFree == s.nrFree,
                        "\(v.id) \(name) line \(state.line)")
            }
        }
    }

    static func countersAfterImport<S: StrategySet>(_: S.Type, _ s: ZoneSnapshot, _ log: OracleLog) throws
        -> (nrFreePages: Int, nrFreeCMAPages: Int, nrFree: [Int]) {
        let m = try Machine<S>.importing(s, geometry: log.geometry, watermarks: log.watermarks)
        let back = m.snapshot(pageblockStart: s.pageblockStart, pageblockCount: s.pageblocks.count)
        return (back.nrFreePages, back.nrFreeCMAPages, back.nrFree)
    }

    @Test func importedStateIsPinnedAndBoosted() throws {
        let log = try Fixture.log("synthetic-6.1.log")
        let w = ZoneWatermarks(min: 16, low: 20, high: 24, boost: 8)
        let m = try Machine<V519>.importing(log.initial.snapshot, geometry: log.geometry, watermarks: w)
        // wmark_pages() = _watermark[] + watermark_boost.
        #expect(m.zone[0].wmarkMin == 24 && m.zone[0].wmarkLow == 28 && m.zone[0].wmarkHigh == 32)
        // Memory the kernel did not list as free is allocated and cannot be isolated:
        // has_unmovable_pages() finds pfn 0 in pageblock 0.
        #expect(m.kind(0x0) == .allocated && !AllocInfo(raw: m.info[m.index(0x0)]).migratable)
        #expect(m.hasUnmovablePages(0x0, 0x200, forCMA: false) == 0x0)
        #expect(m.kind(0x800) == .buddy && m.order(0x800) == 10)
    }

    /// The kernel's `free_area[o].nr_free` counts the blocks on every list of the order: a
    /// snapshot whose counter disagrees with its lists is refused, naming the order.
    @Test func nrFreeDisagreeingWithTheListsIsRefused() throws {
        var s = try Fixture.log("synthetic-6.1.log").initial.snapshot
        s.nrFree[10] += 1
        do {
            _ = try Machine<V519>.importing(s, geometry: .x86_64, watermarks: ZoneWatermarks(min: 0, low: 0, high: 0, boost: 0))
            Issue.record("expected an ImportError")
        } catch {
            #expect(error.message == "nr_free[10] is \(s.nrFree[10]) but the order-10 lists hold \(s.nrFree[10] - 1) blocks")
        }
    }

    @Test func overlappingFreeBlocksAreRefused() throws {
        var s = try Fixture.log("synthetic-6.1.log").initial.snapshot
        s.freeLists[0][Int(MigrateType.movable.rawValue)] = [0x801]      // inside the order-10 block at 0x800
        #expect(throws: ImportError.self) {
            try Machine<V519>.importing(s, geometry: .x86_64, watermarks: ZoneWatermarks(min: 0, low: 0, high: 0, boost: 0))
        }
    }
}
