import BuddyOracle
import Foundation
import Testing

/// `--kernel-patch` without a kernel boot (issue 24): bad patches are bad input (exit 2, the
/// file and line or the failing hunk named, nothing written), and scripts/oracle/build-patched's
/// dry run and cache key, on a scratch tree standing in for the cached kernel tree.
@Suite struct KernelPatchCommandTests {
    static let root = OracleRunner.repositoryRoot(from: URL(fileURLWithPath: #filePath).path) ?? "."
    /// sha256 d408758fafaf5bf332b54d885c63213419920e9e8f91ba093a26aade2a9abf6e (sha256sum).
    static let tinyText = "--- a/mm/x.c\n+++ b/mm/x.c\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n"

    static func badFlags(_ dir: String) -> [([String], String)] {
        [
            (["--kernel", "6.1", "--kernel-patch", dir + "/truncated.patch"],
             dir + "/truncated.patch:3:1: hunk of mm/x.c wants 3 old and 3 new lines, the file ends after 2 and 2 (truncated patch?)"),
            (["--kernel", "6.1", "--kernel-patch", dir + "/none.patch"], "--kernel-patch \(dir)/none.patch: not a readable file"),
            (["--kernel-patch", dir + "/good.patch"], "--kernel-patch needs --kernel SERIES (the kernel to patch)"),
            (["--kernel", "6.1+" + dir + "/truncated.patch"], dir + "/truncated.patch:3:1: hunk of mm/x.c"),
            (["--kernel", "5.4+" + dir + "/good.patch"], "'5.4' is not a kernel series (6.1 or 6.12); a patched kernel is SERIES+FILE"),
            (["--kernel", "6.1", "--kernel-patch", dir + "/good.patch", "--kernel-patch", dir + "/good.patch"],
             "--kernel-patch: '6.1+\(dir)/good.patch' is given twice"),
        ]
    }

    @Test func badPatchIsBadInputAndWritesNothing() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.commit("tiny.yaml", TinyExperiment.yaml(), message: "add the e2e experiment")
        try "--- a/mm/x.c\n+++ b/mm/x.c\n@@ -1,3 +1,3 @@\n a\n-b\n+c\n".write(toFile: ws.path("truncated.patch"), atomically: true, encoding: .utf8)
        try Self.tinyText.write(toFile: ws.path("good.patch"), atomically: true, encoding: .utf8)
        for (flags, message) in Self.badFlags(ws.root) {
            let r = buddylab(["run", ws.repo + "/tiny.yaml", "--results", ws.results, "--repo", ws.repo,
                              "--report", ws.path("r.md"), "--json", ws.path("r.json")] + flags)
            #expect(r.status == 2, "\(flags)")
            #expect(r.stderr.contains(message), "\(flags): \(r.stderr)")
            for written in [ws.results, ws.path("r.md"), ws.path("r.json")] {
                #expect(!FileManager.default.fileExists(atPath: written), "\(written)")
            }
        }
        let o = buddylab(["oracle", "--kernel", "6.1", "--kernel-patch", ws.path("truncated.patch"), "--random", "10"])
        #expect(o.status == 2)
        #expect(o.stderr.contains(ws.path("truncated.patch") + ":3:1: hunk of mm/x.c"), "\(o.stderr)")
        let both = buddylab(["oracle", "--kernel", "6.1+" + ws.path("good.patch"), "--kernel-patch", ws.path("good.patch"), "--random", "10"])
        #expect(both.status == 2)
        #expect(both.stderr.contains("one patch per lockstep run"), "\(both.stderr)")
    }

    /// diverge/shrink on a kernel pair: their inputs are checked before any boot.
    @Test func kernelPairBadInput() throws {
        let cases: [([String], String)] = [
            (["diverge", "--kernels", "6.1", "--random", "10"], "--kernels takes exactly two kernels: A,B"),
            (["diverge", "--kernels", "6.1,6.1", "--random", "10", "--commands", "x.cmds"], "give exactly one of EXP.yaml, --commands FILE or --random N"),
            (["diverge", "--kernels", "6.1,6.1", "--commands", "x.cmds", "--edges"], "--edges goes with --random"),
            (["diverge", "--kernels", "6.1,7.0", "--random", "10"], "'7.0' is not a kernel series"),
            (["diverge", "x.yaml", "--variants", "linux-6.1,linux-6.12", "--random", "10"], "--commands, --random and --edges go with --kernels"),
            (["diverge", "--kernels", "6.1,6.1", "--variants", "linux-6.1,linux-6.12", "--random", "10"], "give --variants or --kernels, not both"),
            (["shrink", "--kernels", "6.1,6.1", "--variant", "linux-6.1", "--random", "10"], "give no --variant or --until"),
            (["shrink", "--kernels", "6.1,6.1", "--random", "0"], "--random: N must be 1…"),
        ]
        for (args, message) in cases {
            let r = buddylab(args)
            #expect(r.status == 2, "\(args): \(r.stdout)")
            #expect(r.stderr.contains(message), "\(args): \(r.stderr)")
        }
    }

    /// Runs scripts/oracle/build-patched with a scratch cache whose 6.1 tree holds one file.
    func script(_ args: [String], cache: String) throws -> (Int32, String, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.root + "/scripts/oracle/build-patched")
        p.arguments = args
        p.environment = ProcessInfo.processInfo.environment.merging(["BUDDYLAB_ORACLE_CACHE": cache]) { $1 }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    @Test func dryRunNamesTheFailingHunkAndWritesNothing() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let tree = ws.path("cache/build/6.1/src/linux-source-6.1")
        try FileManager.default.createDirectory(atPath: tree + "/mm", withIntermediateDirectories: true)
        try "a\nb\n".write(toFile: tree + "/mm/x.c", atomically: true, encoding: .utf8)
        try Self.tinyText.write(toFile: ws.path("good.patch"), atomically: true, encoding: .utf8)
        try Self.tinyText.replacingOccurrences(of: "-b\n+c", with: "-q\n+d").write(toFile: ws.path("bad.patch"), atomically: true, encoding: .utf8)
        let good = try script(["--check", "6.1", ws.path("good.patch")], cache: ws.path("cache"))
        #expect(good.0 == 0, "\(good.2)")
        let bad = try script(["--check", "6.1", ws.path("good.patch"), ws.path("bad.patch")], cache: ws.path("cache"))
        #expect(bad.0 == 2)
        #expect(bad.2.contains("build-patched: \(ws.path("bad.patch")) does not apply to Debian's linux-source-6.1 (after buddylab's own patches):\n  Hunk #1 FAILED at 1.\n  1 out of 1 hunk FAILED"), "\(bad.2)")
        // The tree is untouched (no .orig/.rej, same text).
        #expect(try String(contentsOfFile: tree + "/mm/x.c", encoding: .utf8) == "a\nb\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: tree + "/mm") == ["x.c"])
        // Without a cached tree the dry run starts no kernel build: exit 4, nothing created.
        let none = try script(["--check", "6.12", ws.path("good.patch")], cache: ws.path("empty"))
        #expect(none.0 == 4)
        #expect(none.2.contains("no cached 6.12 tree to check against yet"), "\(none.2)")
        #expect(!FileManager.default.fileExists(atPath: ws.path("empty")))
    }

    /// The cache key's patch part: sha256 over the patches' sha256s in order — the same bytes
    /// under another name share a kernel, other bytes or another order do not.
    @Test func cacheKey() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try Self.tinyText.write(toFile: ws.path("a.patch"), atomically: true, encoding: .utf8)
        try Self.tinyText.write(toFile: ws.path("copy.patch"), atomically: true, encoding: .utf8)
        try (Self.tinyText + "\n").write(toFile: ws.path("b.patch"), atomically: true, encoding: .utf8)
        func key(_ names: String...) throws -> String {
            let r = try script(["--key", "6.1"] + names.map { ws.path($0) }, cache: ws.path("cache"))
            #expect(r.0 == 0, "\(r.2)")
            return r.1.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let a = try key("a.patch")
        // printf '%s\n' d408758f…(sha256 of tinyText) | sha256sum | cut -c1-16
        #expect(a == "p7d2f1152544b2ec7")
        #expect(try key("copy.patch") == a)
        #expect(try key("b.patch") != a)
        #expect(try key("a.patch", "b.patch") != key("b.patch", "a.patch"))
    }
}
