import BuddyCore
import BuddyOracle
import BuddyVariants
import Foundation
import Testing

/// The lockstep differential against the real kernel (scripts/oracle/run): 2,000 seeded
/// random commands on Linux 6.1 and 6.12 in User-Mode Linux against the variants that claim
/// their semantics (`linux-6.1`, `linux-6.12`), compared in full after every command; any
/// mismatch fails. When the oracle kernel cannot be built or run here, the test prints why and
/// is recorded as skipped (cancelled) — never a silent pass.
@Suite(.serialized) struct RealKernelLockstepTests {
    static let root = OracleRunner.repositoryRoot(from: URL(fileURLWithPath: #filePath).path)

    /// The variant that claims the kernel's semantics (`Fixture.variant` throws if it is gone).
    static func variant(for kernel: String) -> String { "linux-" + kernel }

    func session(_ kernel: String, pcp: Bool = false) throws -> OracleSession {
        var runner: OracleRunner
        do { runner = try OracleRunner.locate(kernel: kernel, start: Self.root) } catch {
            print("RealKernelLockstepTests: SKIPPED (\(kernel)): \(error.reason)")
            try Test.cancel(Comment(rawValue: "oracle kernel \(kernel) unavailable: \(error.reason)"))
        }
        runner.pcp = pcp
        return OracleSession(runner: runner, variant: try Fixture.variant(Self.variant(for: kernel)))
    }

    /// Seeds 1–3, 2,000 commands each: every counter of `mustReach` must be above 0 over the
    /// three. One seed alone leaves a rare path at 0 in some runs: 6.12's `__rmqueue_steal` was 0
    /// in 2 of 9 single runs measured (the commands depend on the boot's state 0, which varies by
    /// a few pages between boots, so a seed does not fix the command stream).
    /// `pcp`: boot with per-cpu lists on (`buddylab oracle --pcp`): seed 1 only, to keep the
    /// suite's added time to one run per kernel (measured under load: 71 s on 6.1, 64–275 s on
    /// 6.12, debug build), and the pcp counters must be reached in that run (seed 1 measured:
    /// pcp_refill 211–228, pcp_drain 170–185, pcp_free_bulk 50–73); the general counters are
    /// required of the default mode. Returns the seed-1 log.
    @discardableResult
    func lockstep(_ kernel: String, pcp: Bool = false) throws -> OracleLog? {
        let s = try session(kernel, pcp: pcp)
        let mode = pcp ? " --pcp" : ""
        var total = LockstepCoverage()
        var first: OracleLog?
        for seed: UInt64 in pcp ? [1] : [1, 2, 3] {
            let report: OracleSession.Report
            do { report = try s.random(count: 2000, seed: seed) } catch {
                // Skip only when the oracle cannot exist here (source package unavailable); a build
                // failure, a kernel crash or a broken log is a failure.
                if case let .unavailable(reason, skippable) = error, skippable {
                    print("RealKernelLockstepTests: SKIPPED (\(kernel)): \(reason)")
                    try Test.cancel(Comment(rawValue: "oracle kernel \(kernel) unavailable: \(reason)"))
                }
                Issue.record("\(error)")
                return nil
            }
            if seed == 1 { first = report.log }
            let o = report.outcome
            print(String(format: "RealKernelLockstepTests: kernel %@%@ seed %d: %d commands compared, %d foreign events; choosing %.2f s, kernel %.2f s, parse %.2f s, lockstep %.2f s",
                         o.kernel, mode, Int(seed), o.commandsCompared, o.foreignReplayed, report.probeSeconds, report.kernelSeconds, report.parseSeconds, report.hostSeconds))
            let coverage = LockstepCoverage(log: report.log, commands: o.commandsCompared)
            print("RealKernelLockstepTests: kernel \(o.kernel)\(mode) seed \(seed): \(coverage.line)")
            #expect(o.commandsInLog == 2000)
            #expect(o.commandsCompared == 2000)
            if let m = o.mismatch { Issue.record("seed \(seed)\(mode): \(LockstepText.mismatch(m))") }
            total.add(coverage)
        }
        // What the routine runs must reach in the kernel, so that the comparison checked the
        // simulator's model of it (issue 20). Not yet reached (no command exercises them):
        // pcp_refill / pcp_drain / pcp_free_bulk without --pcp (the kernel boots with
        // buddylab_nopcp), highatomic_unreserve. `migrated`: LRU pages of `anon` mappings moved by
        // contig; `compaction` / `pgmigrate_success`: whole-zone compactions and the pages they moved;
        // `direct_compact`, `skip_bits_set`, `kcompactd` (session 7: 2–13 direct compactions and 2–6
        // kcompactd wake-ups per run). Capture, deferral and proactive passes are rarer at random
        // (0–1 per run measured): the scripted checks below assert them.
        for name in pcp ? Self.mustReachPCP : Self.mustReach where total[name] == 0 {
            Issue.record("kernel \(kernel)\(mode): coverage \(name)=0 over seed\(pcp ? " 1" : "s 1–3") — the routine run no longer exercises it")
        }
        return first
    }

    /// With `--pcp`: refills (`rmqueue_bulk`), pages returned by `free_pcppages_bulk` (drain,
    /// contig, a free reaching `high`) and the frees among them.
    static let mustReachPCP = ["pcp_refill", "pcp_drain", "pcp_free_bulk"]

    static let mustReach = ["alloc", "alloc_fail", "alloc_high", "fallback_claim", "fallback_steal", "cma_fallback",
                            "highatomic_reserve", "highatomic_alloc", "watermark_ok", "watermark_fail", "contig_ok",
                            "contig_ebusy", "isolate_ebusy", "isolate_cma_ebusy", "cma_alloc_ok", "compound",
                            "anon", "migrated", "compaction", "pgmigrate_success", "direct_compact", "skip_bits_set",
                            "kcompactd"]

    @Test func linux61AgainstItsVariant() throws { try lockstep("6.1") }

    @Test func linux612AgainstItsVariant() throws { try lockstep("6.12") }

    /// Per-cpu lists on (issue 20): seed 1 × 2,000 commands, 0 mismatches (seeds 2–3 by hand:
    /// `buddylab oracle --kernel K --random 2000 --seed S --pcp`, docs/oracle.md); and `linux-6.9`
    /// (v6.7's auto-tuned `high`, a different pcp model) must part from the 6.1 kernel on the
    /// seed-1 log that `linux-6.1` followed (no extra boot).
    @Test func linux61AgainstItsVariantWithPCP() throws {
        guard let log = try lockstep("6.1", pcp: true) else { return }
        let other = Lockstep.run(log: log, variant: try Fixture.variant("linux-6.9"))
        print("RealKernelLockstepTests: kernel 6.1 --pcp seed 1 vs linux-6.9: "
              + (other.mismatch.map { "mismatch after command \($0.step): \($0.differences.first?.description ?? "")" } ?? "no mismatch"))
        #expect(other.mismatch != nil, "linux-6.9 followed the 6.1 kernel's pcp lists for \(other.commandsCompared) commands")
    }

    @Test func linux612AgainstItsVariantWithPCP() throws { try lockstep("6.12", pcp: true) }

    /// `scripts/oracle/checks/direct-compaction.cmds` without a CMA area (issue 22): 160 anon
    /// mappings of 32 pages, every order-9+ block taken by pinned allocations, every other mapping
    /// unmapped, then 8 direct compactions (`compact ORDER TYPE PRIO`) at each priority; then
    /// the order-8+ blocks pinned, 20 more mappings unmapped, and 3 more (orders 8, 6, 8). Each
    /// kernel against its variant: 0 mismatches — results, free lists, the anon pages, the cached
    /// scanner positions, deferral and every skip bit after every command. Measured on 6.1.192:
    /// complete ×3, deferred, complete, the sync_full capture of 0x1400; on 6.12.118: complete ×2,
    /// three sync_light captures (0x1400, 0x1c00, 0x2000; 6.12 lets a movable request capture and
    /// migrates differently), skipped ×2; then on both partial_skipped, success, deferred. The
    /// other era's model parts at command 398, the first compaction that moves pages.
    @Test(arguments: ["6.1", "6.12"]) func directCompactionCheck(kernel: String) throws {
        try check("direct-compaction.cmds", kernel: kernel, parts: 398...398) { c in
            #expect(c["direct_compact"] == 11 && c["compact_capture"] >= 1 && c["compact_deferred"] >= 1 && c["pgmigrate_success"] > 0)
        }
    }

    /// `scripts/oracle/checks/daemon-compaction.cmds`: the same fragmented zone; three kcompactd
    /// wake-ups for order 9 (`kcompactd_do_work` on a kthread of the driver's): the first ends at
    /// once — the zone starts at pfn 0 and its cached free pfn was never set (kcompactd was
    /// stopped at boot), so the scanners meet — and defers, the second is deferred, the third
    /// compacts; twelve pinned order-10 blocks freed and proactive passes at 100 (runs: the score
    /// falls from ~25 to 13 on 6.1.192, 8 on 6.12.118), 20 and 90 (skipped); the blocks pinned
    /// again and kcompactd woken for 10 and 8. Measured: 0 mismatches on both kernels, 798 anon
    /// pages moved on each; the other era's model parts at command 399, the third kcompactd.
    @Test(arguments: ["6.1", "6.12"]) func daemonCompactionCheck(kernel: String) throws {
        try check("daemon-compaction.cmds", kernel: kernel, parts: 399...399) { c in
            #expect(c["kcompactd"] == 5 && c["proactive"] == 1 && c["pgmigrate_success"] > 0)
        }
    }

    /// `scripts/oracle/checks/kcompactd-migration.cmds` (issue 20: the mutants `kcompactd-mode`
    /// and `compact-finished-aligned`): dense anon pages, order-2 holes as targets, every free
    /// block of order ≥ 3 pinned; the third `kcompactd 9` migrates the guest's LRU pages and
    /// then a whole block and ends SUCCESS, keeping compact_cached_migrate_pfn[1] as
    /// MIGRATE_SYNC_LIGHT raised it over the blocks without LRU pages (an ASYNC pass leaves it
    /// behind: 0x800 vs 0x1800 on both kernels); the final `kcompactd 3` stops its first
    /// COMPACT_CLUSTER_MAX inside a dense anon block, frees an order ≥ 3 page at once and must
    /// still finish the block (`__compact_finished` looks only at a pageblock boundary: the
    /// kernel frees the whole block 0x1800, a finish test without the rule stops at 32 pages).
    /// Measured: 0 mismatches; 774 pages migrated on 6.1.192, 617 on 6.12.118; the other era's
    /// model parts among the pins (6.1: command 1952, 6.12: 1989 — the movable pins' fallback
    /// into unmovable blocks).
    @Test(arguments: ["6.1", "6.12"]) func kcompactdMigrationCheck(kernel: String) throws {
        try check("kcompactd-migration.cmds", kernel: kernel, parts: kernel == "6.1" ? 1952...1952 : 1988...1989) { c in
            #expect(c["kcompactd"] == 4 && c["anon"] == 2 && c["pgmigrate_success"] > 0)
        }
    }

    /// `scripts/oracle/checks/steal-same-list.cmds` (issue 20: the mutant `move-same-list-tail`):
    /// a RECLAIMABLE pageblock carved into 8-page chunks, every free block of order ≥ 3 elsewhere
    /// pinned; an unmovable steal moves the block's free pieces to the UNMOVABLE lists without
    /// claiming it (6.1: move_freepages_block), one is freed back onto RECLAIMABLE and a second
    /// steal from the block moves a piece already on the UNMOVABLE order-3 list to its tail
    /// again (`list_move_tail`): the kernel's list ends [R2+32, R2+48] on 6.1.192. Measured: 0
    /// mismatches on both kernels (fallback_steal 4 on 6.1, 3 on 6.12); the other era's model
    /// parts among the pins (6.1: command 1358, 6.12: 1394).
    @Test(arguments: ["6.1", "6.12"]) func stealSameListCheck(kernel: String) throws {
        try check("steal-same-list.cmds", kernel: kernel, parts: kernel == "6.1" ? 1358...1358 : 1393...1394) { c in
            #expect(c["fallback_steal"] >= 2 && c["alloc_fail"] > 0)
        }
    }

    /// `scripts/oracle/checks/compaction-rescan.cmds` (session 9: the mutants `lru-add-batch` and
    /// `isolate-free-retype`): two `compact 10 movable sync_full` over a zone pinned but for
    /// seven movable and twelve UNMOVABLE free order-9 blocks; the migrate scanner comes back over
    /// the targets fast_isolate_freepages took in the middle (6.12: the last of a round still in
    /// the lru_add batch, so not isolated) and, on 6.12, the free scanner retypes an UNMOVABLE
    /// block MOVABLE. Measured on two boots each: 0 mismatches; compact_remigrated 430 on 6.1.192
    /// and 1372 on 6.12.118, compact_to_movable 0 and 1; the other era's model parts at command
    /// 377, the first compaction.
    @Test(arguments: ["6.1", "6.12"]) func compactionRescanCheck(kernel: String) throws {
        try check("compaction-rescan.cmds", kernel: kernel, parts: 377...377) { c in
            #expect(c["direct_compact"] == 2 && c["compact_remigrated"] > 0)
            if kernel == "6.12" { #expect(c["compact_to_movable"] >= 1) }
        }
    }

    /// `scripts/oracle/checks/contig-round-split.cmds` (session 9: the mutant `too-many-isolated`):
    /// the guest's page cache dropped by three contigs, anon pages across the pageblock boundary
    /// at 0x1a00, `contig 0x19f0 48`. Measured: 0 mismatches on both kernels; on 6.12.118 the
    /// round stops at 0x1a00 with 16 pages (contig_round_split 5 over the check, the first
    /// contigs' rounds included; 0 on 6.1.192); on the 6.12.118 log the 6.1 model parts at
    /// command 9, on the 6.1.192 log the 6.12 model follows (the guest's LRU is larger there).
    @Test(arguments: ["6.1", "6.12"]) func contigRoundSplitCheck(kernel: String) throws {
        try check("contig-round-split.cmds", kernel: kernel, parts: kernel == "6.12" ? 9...9 : nil) { c in
            #expect(c["anon"] == 3 && c["contig_ok"] >= 3)
            if kernel == "6.12" { #expect(c["contig_round_split"] >= 1) } else { #expect(c["contig_round_split"] == 0) }
        }
    }

    /// Runs a check file without a CMA area on `kernel` against its variant (0 mismatches, every
    /// command compared), hands its coverage to `expect`, and requires the other era's model to
    /// part from the same log at a command in `parts`. Two of the 6.12.118 checks part one
    /// command apart on different boots (steal-same-list at 1393 or 1394, kcompactd-migration at
    /// 1988 or 1989, measured 2026-12-05): the guest's own page events differ between boots, and
    /// with them where the other era's difference first shows; the kernel's own model compares
    /// with 0 mismatches on every boot.
    /// `parts` nil: the other era's model follows the whole log too (the check does not tell the
    /// eras apart on that kernel).
    func check(_ file: String, kernel: String, parts: ClosedRange<Int>?, expect: (LockstepCoverage) -> Void) throws {
        var runner: OracleRunner
        do { runner = try OracleRunner.locate(kernel: kernel, start: Self.root) } catch {
            print("RealKernelLockstepTests: SKIPPED (\(kernel)): \(error.reason)")
            try Test.cancel(Comment(rawValue: "oracle kernel \(kernel) unavailable: \(error.reason)"))
        }
        runner.cma = "0"
        let root = try #require(Self.root, "repository root not found")
        let text = try String(contentsOfFile: root + "/scripts/oracle/checks/" + file, encoding: .utf8)
        let commands = try text.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }.map { try OracleCommand.parse($0) }
        let s = OracleSession(runner: runner, variant: try Fixture.variant(Self.variant(for: kernel)))
        let report: OracleSession.Report
        do { report = try s.scripted(commands) } catch {
            Issue.record("\(error)")
            return
        }
        let o = report.outcome
        if let m = o.mismatch { Issue.record("\(file): \(LockstepText.mismatch(m))") }
        #expect(o.commandsCompared == commands.count)
        let coverage = LockstepCoverage(log: report.log)
        print("RealKernelLockstepTests: kernel \(o.kernel) \(file): \(coverage.line)")
        expect(coverage)
        let other = Lockstep.run(log: report.log, variant: try Fixture.variant(kernel == "6.1" ? "linux-6.12" : "linux-6.1"))
        if let parts {
            #expect(other.mismatch.map { parts.contains($0.step) } == true, "the other era's model: \(other.mismatch.map { "mismatch at \($0.step)" } ?? "no mismatch")")
        } else {
            #expect(other.mismatch == nil, "the other era's model: \(other.mismatch.map { "mismatch at \($0.step)" } ?? "no mismatch")")
        }
    }
}
