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

    func session(_ kernel: String) throws -> OracleSession {
        let runner: OracleRunner
        do { runner = try OracleRunner.locate(kernel: kernel, start: Self.root) } catch {
            print("RealKernelLockstepTests: SKIPPED (\(kernel)): \(error.reason)")
            try Test.cancel(Comment(rawValue: "oracle kernel \(kernel) unavailable: \(error.reason)"))
        }
        return OracleSession(runner: runner, variant: try Fixture.variant(Self.variant(for: kernel)))
    }

    func lockstep(_ kernel: String) throws {
        let s = try session(kernel)
        let report: OracleSession.Report
        do { report = try s.random(count: 2000, seed: 1) } catch {
            // Skip only when the oracle cannot exist here (source package unavailable); a build
            // failure, a kernel crash or a broken log is a failure.
            if case let .unavailable(reason, skippable) = error, skippable {
                print("RealKernelLockstepTests: SKIPPED (\(kernel)): \(reason)")
                try Test.cancel(Comment(rawValue: "oracle kernel \(kernel) unavailable: \(reason)"))
            }
            Issue.record("\(error)")
            return
        }
        let o = report.outcome
        print(String(format: "RealKernelLockstepTests: kernel %@: %d commands compared, %d foreign events; probe %.2f s, kernel batch %.2f s, parse %.2f s, lockstep %.2f s",
                     o.kernel, o.commandsCompared, o.foreignReplayed, report.probeSeconds, report.kernelSeconds, report.parseSeconds, report.hostSeconds))
        let coverage = LockstepCoverage(log: report.log, commands: o.commandsCompared)
        print("RealKernelLockstepTests: kernel \(o.kernel): \(coverage.line)")
        #expect(o.commandsInLog == 2000)
        #expect(o.commandsCompared == 2000)
        if let m = o.mismatch { Issue.record("\(LockstepText.mismatch(m))") }
        // What the routine run must reach in the kernel, so that the comparison checked the
        // simulator's model of it (issue 20). Not yet reached (no command exercises them):
        // pcp_refill / pcp_drain (the kernel boots with buddylab_nopcp), migrated (no LRU pages
        // under contig/isolate), compound (`comp` is --edges only), highatomic_unreserve.
        for name in Self.mustReach where coverage[name] == 0 {
            Issue.record("kernel \(kernel): coverage \(name)=0 — the routine run no longer exercises it")
        }
    }

    static let mustReach = ["alloc", "alloc_fail", "alloc_high", "fallback_claim", "fallback_steal", "cma_fallback",
                            "highatomic_reserve", "highatomic_alloc", "watermark_ok", "watermark_fail", "contig_ok",
                            "contig_ebusy", "isolate_ebusy", "isolate_cma_ebusy", "cma_alloc_ok"]

    @Test func linux61AgainstItsVariant() throws { try lockstep("6.1") }

    @Test func linux612AgainstItsVariant() throws { try lockstep("6.12") }
}
