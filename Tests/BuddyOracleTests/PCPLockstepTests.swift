import BuddyCore
import BuddyOracle
import BuddyVariants
import Testing

/// `--pcp` lockstep without a kernel, on a hand-written 6.1 log with per-cpu lists on
/// (Fixtures/synthetic-6.1-pcp.log; every state derived from Debian linux-source-6.1 6.1.192,
/// mm/page_alloc.c). A 4096-page zone with managed 4000 and low mark 20: `zone_batchsize` = 1
/// (4000 >> 10 = 3, /4 = 0 → 1 → rounddown_pow_of_two(1) − 1 = 0 → max(1, 0)), `zone_highsize`
/// = max(low / 1 CPU, 4 × batch) = 20. State 0 holds 0x601, 0x600 on the order-0 MOVABLE list.
/// 1. `alloc 0 movable`: `rmqueue_pcplist` takes the list's head, 0x601.
/// 2. `free 0`: `free_unref_page_commit` puts it back at the head (`list_add`); count 2 < high 20.
/// 3. `alloc 1 movable`: the order-1 list is empty: `rmqueue_bulk` of batch 1 (not scaled:
///    `batch > 1` is false) splits the order-9 block at 0x400 (`expand`: 0x500 … 0x402 on the
///    order 8 … 1 lists), puts 0x400 on the list and hands it out; NR_FREE_PAGES − 2.
/// 4. `drain`: `drain_pages_zone` → `free_pcppages_bulk` from the list's tail: 0x600 (no free
///    buddy: 0x601 is on the pcp list), then 0x601, which merges with it into an order-1 block
///    at the head of its list (`buddy_merge_likely`: 0x604 is not free).
@Suite struct PCPLockstepTests {
    static func run(_ text: String, _ variant: String) throws -> LockstepOutcome {
        Lockstep.run(log: try OracleLogParser.parse(text, file: "pcp.log"), variant: try Fixture.variant(variant))
    }

    static func describe(_ o: LockstepOutcome) -> String {
        o.mismatch.map { "step \($0.step): " + $0.differences.map(\.description).joined(separator: "\n") } ?? ""
    }

    @Test func logRecordsAreRead() throws {
        let log = try Fixture.log("synthetic-6.1-pcp.log")
        #expect(log.initial.pcpSets == [OraclePCPSet(cpu: 0, fields: ["count": 2, "high": 20, "batch": 1, "free_factor": 0, "reclaim_active": 0])])
        #expect(log.initial.pcpCached == [OraclePCPCached(cpu: 0, order: 0, list: .movable, types: [.movable, .movable])])
        #expect(log.steps[3].state.pcp.isEmpty && log.steps[3].state.pcpSets.first?.fields["count"] == 0)
    }

    /// Coverage from the kernel's pcp records: command 3's refill (its one block handed out
    /// whole: seen as `count` not lowered by the 2 pages), command 4's drain; no free reached
    /// `high`.
    @Test func coverageCountsTheRefillAndTheDrain() throws {
        let c = LockstepCoverage(log: try Fixture.log("synthetic-6.1-pcp.log"))
        #expect(c["pcp_refill"] == 1 && c["pcp_drain"] == 1 && c["pcp_free_bulk"] == 0)
        // With buddylab_nopcp `count` stays 0: no allocation counts as a refill.
        let off = try OracleLogParser.parse(try Fixture.text("synthetic-6.1-pcp.log")
            .replacingOccurrences(of: "count=2 ", with: "count=0 ").replacingOccurrences(of: "count=1 ", with: "count=0 ")
            .replacingOccurrences(of: " pcp=on ", with: " pcp=off "), file: "off.log")
        #expect(LockstepCoverage(log: off)["pcp_refill"] == 0)
    }

    @Test func linux61FollowsThePCPLog() throws {
        let o = try Self.run(try Fixture.text("synthetic-6.1-pcp.log"), "linux-6.1")
        #expect(o.mismatch == nil, "\(Self.describe(o))")
        #expect(o.commandsCompared == 4)
    }

    /// The import reads the lists, the cached types and `count`/`free_factor`; `batch` and
    /// `high` are the model's own `zone_batchsize`/`zone_highsize`: a kernel `high` of 21 is a
    /// difference in state 0.
    @Test func sizingIsCheckedInStateZero() throws {
        var lines = try Fixture.text("synthetic-6.1-pcp.log").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let set = try #require(lines.firstIndex(of: "pcpset Normal 0 count=2 high=20 batch=1 free_factor=0 reclaim_active=0"))
        lines[set] = "pcpset Normal 0 count=2 high=21 batch=1 free_factor=0 reclaim_active=0"
        let o = try Self.run(lines.joined(separator: "\n"), "linux-6.1")
        #expect(o.mismatch?.step == 0)
        #expect(o.mismatch?.differences.map(\.description) == ["pcp cpu 0 high: kernel 21 | simulator 20"])
    }

    /// The lists are compared in order: the freed page on the tail instead of the head.
    @Test func listOrderIsCompared() throws {
        var lines = try Fixture.text("synthetic-6.1-pcp.log").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let at = try #require(lines.firstIndex(of: "state 2"))
        let pcpLine = try #require(lines[at...].firstIndex(of: "pcp Normal 0 0 movable 0x601 0x600"))
        lines[pcpLine] = "pcp Normal 0 0 movable 0x600 0x601"
        let o = try Self.run(lines.joined(separator: "\n"), "linux-6.1")
        #expect(o.mismatch?.step == 2)
        let d = try #require(o.mismatch?.differences.first)
        #expect(d.kind == .pcp && d.order == 0 && d.list == .movable && d.pfn == 0x600)
        #expect(d.what == "pcp cpu 0 order 0 movable: first difference at position 0 (pfn 0x600)")
    }

    /// ≤ 6.9's cached migratetype (`pcpmt`) is compared page by page.
    @Test func cachedMigratetypeIsCompared() throws {
        var lines = try Fixture.text("synthetic-6.1-pcp.log").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let at = try #require(lines.firstIndex(of: "state 3"))
        let mt = try #require(lines[at...].firstIndex(of: "pcpmt Normal 0 0 movable MM"))
        lines[mt] = "pcpmt Normal 0 0 movable MU"
        let o = try Self.run(lines.joined(separator: "\n"), "linux-6.1")
        #expect(o.mismatch?.step == 3)
        #expect(o.mismatch?.differences.map(\.description)
                == ["cached migratetype of pcp cpu 0 order 0 movable position 1 (pfn 0x600): kernel unmovable | simulator movable"])
    }

    /// Default mode (the batch says `pcp=off`): the model has no pcp lists and the kernel's
    /// non-empty list is a difference in state 0.
    @Test func defaultModeStillReportsNonEmptyLists() throws {
        let text = try Fixture.text("synthetic-6.1-pcp.log").replacingOccurrences(of: " pcp=on ", with: " pcp=off ")
        let o = try Self.run(text, "linux-6.1")
        #expect(o.mismatch?.step == 0)
        #expect(o.mismatch?.differences.contains { $0.kind == .pcp && $0.what.contains("is buddylab_nopcp on?") } == true)
    }

    /// A variant without a pcp model cannot import a `pcp=on` log.
    @Test func aVariantWithoutPCPModelIsRefused() throws {
        let o = try Self.run(try Fixture.text("synthetic-6.1-pcp.log"), "linux-5.19")
        #expect(o.mismatch?.step == 0)
        #expect(o.mismatch?.differences.first?.what.contains("no pcp model") == true)
    }

    /// v6.7's auto-tuned `high` (`linux-6.9`) against 6.1: the refill of command 3 raises
    /// `high` by the batch (`nr_pcp_alloc`: high_min 20 < high_max 4000 / 8 = 500, zone not
    /// below its high mark), where 6.1's stays 20. Commands 1–2 agree (no refill, no bulk free).
    @Test func linux69PartsAtTheFirstRefill() throws {
        let o = try Self.run(try Fixture.text("synthetic-6.1-pcp.log"), "linux-6.9")
        #expect(o.mismatch?.step == 3)
        #expect(o.mismatch?.differences.map(\.description) == ["pcp cpu 0 high: kernel 20 | simulator 21"])
    }
}
