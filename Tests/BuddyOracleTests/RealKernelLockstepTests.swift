import BuddyCore
import BuddyOracle
import BuddyVariants
import Foundation
import Testing

/// The lockstep differential against the real kernel (scripts/oracle/run): ≥ 1,000 seeded
/// random commands on Linux 6.1 in User-Mode Linux against `linux-5.19`, compared in full after
/// every command. When the oracle kernel cannot be built or run here, the test prints why and
/// is recorded as skipped (cancelled) — never a silent pass.
@Suite(.serialized) struct RealKernelLockstepTests {
    static let root = OracleRunner.repositoryRoot(from: URL(fileURLWithPath: #filePath).path)

    /// The variant that claims the kernel's semantics, or `linux-5.19` until one exists.
    static func variant(for kernel: String) -> (id: String, claims: Bool) {
        let id = "linux-" + kernel
        return Variants.named(id) != nil ? (id, true) : ("linux-5.19", kernel == "6.1")
    }

    func session(_ kernel: String) throws -> OracleSession {
        let runner: OracleRunner
        do { runner = try OracleRunner.locate(kernel: kernel, start: Self.root) } catch {
            print("RealKernelLockstepTests: SKIPPED (\(kernel)): \(error.reason)")
            try Test.cancel(Comment(rawValue: "oracle kernel \(kernel) unavailable: \(error.reason)"))
        }
        return OracleSession(runner: runner, variant: try Fixture.variant(Self.variant(for: kernel).id))
    }

    func lockstep(_ kernel: String) throws {
        let s = try session(kernel)
        let report: OracleSession.Report
        do { report = try s.random(count: 1000, seed: 1) } catch {
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
        #expect(o.commandsInLog == 1000)
        guard let m = o.mismatch else { return }
        if Self.variant(for: kernel).claims {
            Issue.record("\(LockstepText.mismatch(m))")
        } else {
            // No variant models 6.12 yet (v6.10's isolation splits free blocks above a
            // pageblock, see Real612LogTests): the mismatch is expected and shown, not hidden.
            withKnownIssue("no simulator variant claims \(kernel) semantics yet") { Issue.record("\(LockstepText.mismatch(m))") }
        }
    }

    @Test func linux61AgainstItsVariant() throws { try lockstep("6.1") }

    @Test func linux612AgainstItsVariant() throws { try lockstep("6.12") }
}
