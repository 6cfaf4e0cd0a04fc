import Foundation
import Testing
@testable import BuddyOracle

/// Issue 18 item 10: reports/calibration.md carries its revision — the buddylab commit the
/// simulator side ran from and, per kernel series, the oracle kernel's build key (the
/// `scripts/oracle/build` cache name `linux-DEBIANVERSION-PATCHHASH-CONFIGHASH`).
@Suite struct CalibrationRevisionTests {
    @Test func headerNamesTheRevision() {
        let md = Calibration.header(kernels: ["6.1", "6.12"], revision: "commit `0123abcd` (clean)")
        #expect(md.hasPrefix("# Calibration against the real kernel\n\nRevision: buddylab commit `0123abcd` (clean).\n\n"))
    }

    /// The key is the binary `run` booted: it names it on stderr (`run: kernel binary KEY`) and
    /// `OracleRunner.run` returns it with the log — no second call of `build`. A substitute script
    /// that names none gives nil.
    @Test func runReportsTheBinaryItBooted() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("buildkey-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func stub(_ name: String, _ announce: String) throws -> OracleRunner {
            let run = dir.appendingPathComponent(name)
            // run KERNEL CMDFILE OUTFILE: a one-line log ending in `done`, as the real run writes.
            try "#!/bin/sh\n\(announce)printf 'done\\n' > \"$3\"\n".write(to: run, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: run.path)
            return OracleRunner(script: run.path, kernel: "6.1", cma: nil, mem: nil)
        }
        let named = try stub("run", "echo 'run: kernel binary linux-6.1.192-3-0123456789ab-ba9876543210' >&2\n")
        #expect(try named.run([.drain]).build == "linux-6.1.192-3-0123456789ab-ba9876543210")
        let silent = try stub("run-silent", "")
        #expect(try silent.run([.drain]).build == nil)
    }
}
