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

    /// The key is what `build` prints last (the cached binary), asked of the `build` beside `run`.
    @Test func buildKeyIsTheCachedBinarysName() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("buildkey-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let build = dir.appendingPathComponent("build")
        try "#!/bin/sh\necho building >&2\necho /cache/bin/linux-6.1.192-0123456789ab-ba9876543210\n".write(to: build, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: build.path)
        let runner = OracleRunner(script: dir.appendingPathComponent("run").path, kernel: "6.1", cma: nil, mem: nil)
        #expect(runner.buildKey() == "linux-6.1.192-0123456789ab-ba9876543210")
        let none = OracleRunner(script: "/nonexistent/run", kernel: "6.1", cma: nil, mem: nil)
        #expect(none.buildKey() == "unknown (no build script beside /nonexistent/run)")
    }
}
