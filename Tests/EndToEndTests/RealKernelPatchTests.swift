import BuddyOracle
import BuddyResults
import Foundation
import Testing

/// The user's patch in the real kernel (issue 24), on Linux 6.1.192 in User-Mode Linux with the
/// bundled example patches (experiments/patches/). Builds the patched kernels from the cached
/// base tree (≈ 1 min each the first time, then cached), so it runs in scripts/test's kernel
/// step only. When the oracle cannot exist here it prints why and is recorded as cancelled.
@Suite(.serialized) struct RealKernelPatchTests {
    static let root = OracleRunner.repositoryRoot(from: URL(fileURLWithPath: #filePath).path) ?? "."
    static func patch(_ name: String) -> String { root + "/experiments/patches/\(name).patch" }

    func requireKernel() throws {
        let runner: OracleRunner
        do { runner = try OracleRunner.locate(kernel: "6.1", start: Self.root) } catch {
            print("RealKernelPatchTests: SKIPPED: \(error.reason)")
            try Test.cancel(Comment(rawValue: "oracle kernel 6.1 unavailable: \(error.reason)"))
        }
        do { _ = try runner.run([.drain]) } catch {
            if error.skippable {
                print("RealKernelPatchTests: SKIPPED: \(error.reason)")
                try Test.cancel(Comment(rawValue: "oracle kernel 6.1 unavailable: \(error.reason)"))
            }
            Issue.record("the oracle kernel exists but failed: \(error.reason)")
            throw error
        }
    }

    static let watermarkYAML = """
    schema: 1
    name: kpatch-watermark
    description: A watermark check at the high mark of a fresh zone (far above it).
    machine:
      preset: x86_64
      zones:
        - { name: Normal, size: 64MiB }
    variants: [linux-6.1]
    seeds: 1
    workload:
      - ops:
          - watermark: { zone: Normal, mark: high, order: 0 }
    """

    /// zone_watermark_ok_safe() forced false: the driver's `watermark high 0` (which calls it) is
    /// `fail` on the patched column and `ok` on the base, whose zone is far above its high mark.
    @Test func watermarkPatchFailsWhereTheBaseIsOk() throws {
        try requireKernel()
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.commit("wm.yaml", Self.watermarkYAML, message: "watermark experiment")
        let file = Self.patch("watermark-safe-false")
        let r = try ws.run("wm.yaml", json: "wm.json", extra: ["--kernel", "6.1", "--kernel-patch", file])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try ResultJSON.decode(ResultDocument.self, from: Data(contentsOf: URL(fileURLWithPath: ws.path("wm.json"))))
        let runs = doc.kernelRuns ?? []
        #expect(runs.map(\.variant) == ["kernel 6.1.192 (UML)", "kernel 6.1.192 + watermark-safe-false (UML)"])
        #expect(runs.first?.ops.map(\.result) == ["ok"])
        #expect(runs.last?.ops.map(\.result) == ["fail"])
        #expect(runs.first?.kernel?.patch == nil)
        #expect(runs.last?.kernel?.patch?.file == file)
        #expect(runs.last?.kernel?.patch?.sha256 == (try KernelPatch.load(file)).sha256)
        // The JSON names the patch on every kernel_runs entry, null for the base.
        let json = try ws.read("wm.json")
        #expect(json.contains("\"patch\" : null") || json.contains("\"patch\":null"), "\(json.prefix(400))")
        #expect(try ws.read("wm.json.md").contains("kernel 6.1.192 + watermark-safe-false (UML)"))
    }

    /// move_to_free_list() at the head: the lockstep with linux-6.1 (tail, as 6.1 does) parts on
    /// the patched kernel; on the base kernel the same seeded batch agrees everywhere.
    @Test func headPlacementPatchPartsFromTheVariant() throws {
        try requireKernel()
        let base = buddylab(["oracle", "--kernel", "6.1", "--variant", "linux-6.1", "--random", "1000", "--seed", "1"])
        #expect(base.status == 0, "\(base.stdout)\(base.stderr)")
        #expect(base.stdout.hasPrefix("kernel 6.1.192 (UML) vs linux-6.1: 1000 commands, 0 mismatches"), "\(base.stdout.prefix(300))")
        let patched = buddylab(["oracle", "--kernel", "6.1", "--kernel-patch", Self.patch("move-freelist-head"),
                                "--variant", "linux-6.1", "--random", "1000", "--seed", "1"])
        #expect(patched.status == 1, "\(patched.stderr)")
        #expect(patched.stdout.hasPrefix("kernel 6.1.192 + move-freelist-head (UML) vs linux-6.1: "), "\(patched.stdout.prefix(300))")
        #expect(patched.stdout.contains(" commands, 1 mismatch\n"))
        #expect(patched.stdout.contains("same blocks in another order"), "\(patched.stdout.prefix(1500))")
    }

    /// A patch whose context is not in Debian's tree: exit 2 naming it and its failing hunk,
    /// before anything runs or is written.
    @Test func patchThatDoesNotApplyIsBadInput() throws {
        try requireKernel()
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.commit("wm.yaml", Self.watermarkYAML, message: "watermark experiment")
        let bad = ws.path("stale.patch")
        try """
        --- a/mm/page_alloc.c
        +++ b/mm/page_alloc.c
        @@ -10,3 +10,3 @@
         this line is not in mm/page_alloc.c
        -nor this one
        +anything
         nor this

        """.write(toFile: bad, atomically: true, encoding: .utf8)
        let r = buddylab(["run", ws.repo + "/wm.yaml", "--results", ws.results, "--repo", ws.repo, "--json", ws.path("r.json"),
                          "--kernel", "6.1", "--kernel-patch", bad])
        #expect(r.status == 2)
        #expect(r.stderr.contains("\(bad) does not apply to Debian's linux-source-6.1"), "\(r.stderr)")
        #expect(r.stderr.contains("Hunk #1 FAILED at 10."), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: ws.results) && !FileManager.default.fileExists(atPath: ws.path("r.json")))
    }

    /// diverge/shrink on the kernel pair: base 6.1 and 6.1 with move-freelist-head part at the
    /// first move of free pages between lists, well before two boots of the base part (noise
    /// control); shrink writes a command file of at most those commands on which they still part.
    @Test func kernelPairDivergesAndShrinks() throws {
        try requireKernel()
        let ws = try Workspace()
        defer { ws.remove() }
        let pair = "6.1,6.1+" + Self.patch("move-freelist-head")
        let d = buddylab(["diverge", "--kernels", pair, "--random", "1000", "--seed", "1"])
        #expect(d.status == 1, "\(d.stderr)")
        // Within the first commands (4 with session 5's generator, 6 with session 6's): the two
        // kernels part at the first move of free pages between lists.
        let at = d.stdout.firstRange(of: ": first divergence after command ").map { d.stdout[$0.upperBound...].prefix { $0.isNumber } }
        #expect(at.flatMap { Int($0) }.map { $0 <= 20 } == true, "\(d.stdout.prefix(600))")
        #expect(d.stdout.contains("same blocks in another order"))
        #expect(!d.stdout.contains("NOT attributable"))
        #expect(d.stdout.contains("3 boots, "))
        let s = buddylab(["shrink", "--kernels", pair, "--random", "1000", "--seed", "1", "--out", ws.path("min.cmds")])
        #expect(s.status == 0, "\(s.stderr)")
        #expect(s.stdout.contains("(1-minimal)"), "\(s.stdout)")
        let cmds = try ws.read("min.cmds").split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect((1...4).contains(cmds.count))
        let again = buddylab(["diverge", "--kernels", pair, "--commands", ws.path("min.cmds")])
        #expect(again.status == 1, "\(again.stdout)")
        #expect(!again.stdout.contains("NOT attributable"))
    }

    /// The worked example with a reverted stable backport (docs/oracle.md): with 1ebbb21811b7's
    /// watermark hunk reverted, a request without __GFP_HIGH below the min mark succeeds on the
    /// kernel where linux-6.1 (which carries 1ebbb21811b7) refuses it — on the near-OOM cycle.
    @Test func revertedBackportPartsFromTheVariantBelowMin() throws {
        try requireKernel()
        let r = buddylab(["oracle", "--kernel", "6.1", "--kernel-patch", Self.patch("revert-1ebbb21811b7-watermark"),
                          "--variant", "linux-6.1", "--random", "2000", "--seed", "4", "--edges"])
        #expect(r.status == 1, "\(r.stdout.prefix(600))\(r.stderr)")
        #expect(r.stdout.hasPrefix("kernel 6.1.192 + revert-1ebbb21811b7-watermark (UML) vs linux-6.1: "), "\(r.stdout.prefix(300))")
        let mismatch = r.stdout.split(separator: "\n").first { $0.hasPrefix("  result: kernel ok handle=") }
        #expect(mismatch?.hasSuffix("| simulator enomem") == true, "\(r.stdout.prefix(1200))")
    }
}
