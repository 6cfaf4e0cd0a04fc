import BuddyCore
import BuddyOracle
import BuddyVariants
import Testing

/// Logs written by the real Linux 6.1.192 (Debian) running as User-Mode Linux with the oracle
/// driver (`scripts/oracle/run 6.1`, per-cpu lists off): the parser reads them and `linux-5.19`
/// follows them command by command with the whole state equal.
@Suite struct RealLogTests {
    @Test func smokeLogParsesAndMatches() throws {
        let log = try Fixture.log("kernel-6.1-smoke-cma64M.log")
        #expect(log.kernel == "6.1.192")
        #expect(log.geometry == .x86_64)
        #expect(log.batch["pcp"] == "off" && log.batch["foreign_probe"] == "on")
        #expect(log.cma?.name == "buddylab" && log.cma?.pages == 16384)
        #expect(log.steps.count == 16)
        // cma_alloc 16 4 takes the area's first 16 pages; cma_alloc 1024 10 the next 2^10-aligned range.
        #expect(log.steps[8].command == .cmaAlloc(count: 16, alignOrder: 4))
        #expect(log.steps[8].result.pfn == log.cma?.base)
        #expect(log.steps.last?.result == OracleResult("einval"))
        let o = Lockstep.run(log: log, variant: try Fixture.variant("linux-5.19"))
        #expect(o.mismatch == nil, "\(o.mismatch.map(LockstepText.mismatch) ?? "")")
        #expect(o.commandsCompared == 16)
    }

    /// The first 40 commands of the seed-1 random run. Before the v5.10 list-placement fix
    /// (`move_to_free_list()` appends at the tail) the simulator parted from the kernel at
    /// command 16, `unisolate 0x14200 2048`: it put the three order-10 blocks it moved back at
    /// the head of the MOVABLE list, the kernel at the tail.
    @Test func randomRunPrefixMatches() throws {
        let log = try Fixture.log("kernel-6.1-random-seed1-first40.log")
        #expect(log.steps.count == 40)
        #expect(log.steps[15].command == .unisolate(pfn: 0x14200, pages: 2048))
        let o = Lockstep.run(log: log, variant: try Fixture.variant("linux-5.19"))
        #expect(o.mismatch == nil, "\(o.mismatch.map(LockstepText.mismatch) ?? "")")
        #expect(o.commandsCompared == 40)
    }
}

/// A log of the real Linux 6.12.117 (Debian). v6.10's "hygienic freelists" series changed
/// isolation: `move_freepages_block_isolate()` splits a free block larger than a pageblock
/// when one of its pageblocks is isolated, so isolating [0x14200, 0x14a00) leaves the free
/// order-10 block at 0x14400 as two order-9 blocks on the ISOLATE list. `linux-5.19` keeps it
/// whole; `linux-6.10` and `linux-6.12` split it as the kernel does
/// (Machine+MoveFreepagesIsolate.swift, KernelDivergence612Tests).
@Suite struct Real612LogTests {
    @Test(arguments: ["linux-6.12", "linux-6.10"]) func hygieneVariantsFollowThe612Log(variant: String) throws {
        let log = try Fixture.log("kernel-6.12-random-seed1-first10.log")
        let o = Lockstep.run(log: log, variant: try Fixture.variant(variant))
        #expect(o.mismatch == nil, "\(o.mismatch.map(LockstepText.mismatch) ?? "")")
        #expect(o.commandsCompared == 10)
    }

    @Test func linux519PartsFrom612AtTheFirstIsolation() throws {
        let log = try Fixture.log("kernel-6.12-random-seed1-first10.log")
        #expect(log.kernel == "6.12.117" && log.steps.count == 10)
        let o = Lockstep.run(log: log, variant: try Fixture.variant("linux-5.19"))
        let m = try #require(o.mismatch)
        #expect(m.step == 10 && m.command == .isolate(pfn: 0x14200, pages: 2048, offline: true))
        #expect(m.differences.contains { $0.kind == .nrFree && $0.order == 9 && $0.kernel == "8" && $0.simulator == "6" })
        #expect(m.differences.contains { $0.kind == .freeList && $0.order == 9 && $0.list == .isolate
                                         && $0.kernel.hasPrefix("4 blocks [0x14400 0x14800 0x14200 0x14600]") })
    }
}

/// The first 218 commands of the seed-1 random runs (session 6 generator) on Debian 6.1.192 and
/// 6.12.118: 13 `anon` mappings (page faults and unmaps replayed from the kernel's side events)
/// and, at command 218, `contig` over a pageblock holding 64 of their LRU pages, which both
/// kernels migrate (6.1: `migrate_pages` page by page; 6.12: `migrate_pages_batch`) — highest pfn
/// first within each COMPACT_CLUSTER_MAX round (ContigMigrationOrderTests). After every command
/// the simulator's anon pages must sit where the kernel's `anon H PFN…` records put them.
@Suite struct RealAnonLogTests {
    static let cases = [("kernel-6.1-random-seed1-anon-first218.log.gz", "linux-6.1"),
                        ("kernel-6.12-random-seed1-anon-first218.log.gz", "linux-6.12")]

    @Test(arguments: cases) func anonMappingsAndTheirMigrationMatch(file: String, variant: String) throws {
        let log = try Fixture.log(file)
        #expect(log.steps.count == 218)
        let contig = log.steps[217]
        guard case .contig = contig.command else { Issue.record("command 218 is \(contig.command.text)"); return }
        #expect(contig.result.status == "ok")
        let o = Lockstep.run(log: log, variant: try Fixture.variant(variant))
        #expect(o.mismatch == nil, "\(o.mismatch.map(LockstepText.mismatch) ?? "")")
        #expect(o.commandsCompared == 218)
        let coverage = LockstepCoverage(log: log)
        #expect(coverage["anon"] == 13)
        #expect(coverage["migrated"] == 64)
    }

    /// The comparison of anon records can fail: two pages of the last mapping swapped in the
    /// kernel's final record make the run part at command 218 with an `anon` difference.
    @Test func aMovedAnonPageIsAMismatch() throws {
        var log = try Fixture.log(Self.cases[0].0)
        var rec = try #require(log.steps[217].state.anon.last { $0.pfns.count >= 2 })
        rec.pfns.swapAt(0, 1)
        let i = try #require(log.steps[217].state.anon.firstIndex { $0.handle == rec.handle })
        log.steps[217].state.anon[i] = rec
        let o = Lockstep.run(log: log, variant: try Fixture.variant("linux-6.1"))
        let m = try #require(o.mismatch)
        #expect(m.step == 218)
        #expect(m.differences.contains { $0.kind == .anon && $0.what.hasPrefix("anon \(rec.handle): page 0") })
    }
}

/// Whole-zone compaction on the real kernels (`scripts/oracle/checks/compaction.cmds`: three anon
/// mappings of 256 pages, the middle one unmapped, `compact`, the rest unmapped, `compact`):
/// `compact_node()`'s pass (`buddylab_compact_zone`, scripts/oracle/patch-tree edit d) migrates the
/// anon pages and the guest's own LRU pages, and the simulator's `compactMemory` — the migrate
/// scanner from the bottom, the free scanner from the top, `compact_finished` when they meet —
/// puts every page where the kernel put it. Each kernel's compaction is its own: the other era's
/// model parts at the first `compact`.
@Suite struct RealCompactionLogTests {
    @Test(arguments: [("kernel-6.1-compaction-cma64M.log.gz", "linux-6.1", 157),
                      ("kernel-6.12-compaction-cma64M.log.gz", "linux-6.12", 109)])
    func compactionMatches(file: String, variant: String, moved: Int) throws {
        let log = try Fixture.log(file)
        #expect(log.steps.count == 8 && log.steps[4].command == .compact && log.steps[7].command == .compact)
        let o = Lockstep.run(log: log, variant: try Fixture.variant(variant))
        #expect(o.mismatch == nil, "\(o.mismatch.map(LockstepText.mismatch) ?? "")")
        #expect(o.commandsCompared == 8)
        let coverage = LockstepCoverage(log: log)
        #expect(coverage["compaction"] == 2)
        #expect(coverage["pgmigrate_success"] == moved)
    }

    @Test(arguments: [("kernel-6.1-compaction-cma64M.log.gz", "linux-6.12"),
                      ("kernel-6.12-compaction-cma64M.log.gz", "linux-6.1")])
    func theOtherErasCompactionParts(file: String, variant: String) throws {
        let o = Lockstep.run(log: try Fixture.log(file), variant: try Fixture.variant(variant))
        let m = try #require(o.mismatch)
        #expect(m.step == 5 && m.command == .compact)
    }
}

/// A log's `lru_file` run may claim up to 2^40 pages (the count domain): import and the LRU sync
/// clamp it to the zone instead of walking it page by page.
@Suite struct HugeLRURunTests {
    @Test func aTwoToTheFortyRunImportsAtOnce() throws {
        let text = try Fixture.text("synthetic-6.1.log")
        let r = try #require(text.range(of: "\nend\n"))
        let big = text.replacingCharacters(in: r, with: "\nlru_file Normal 0x0+1099511627776\nend\n")
        let log = try OracleLogParser.parse(big, file: "big.log")
        #expect(log.initial.snapshot.lruFile.first?.pages == 1 << 40)
        let o = Lockstep.run(log: log, variant: try Fixture.variant("linux-6.1"))
        #expect(o.mismatch == nil, "\(o.mismatch.map(LockstepText.mismatch) ?? "")")
    }
}
