import BuddyOracle
import BuddyResults
import Foundation
import Testing

/// `buddylab run EXP --kernel 6.1` (contract, "Additions planned"): a real-kernel column beside
/// the simulated variants. Bad `--kernel` values are bad input (exit 2, nothing written); the
/// boot test runs the real kernel when the oracle's cached binary is here, and otherwise prints
/// why and is recorded as cancelled (never a silent pass).
@Suite(.serialized) struct RunKernelColumnTests {
    static let badKernels: [([String], String)] = [
        (["--kernel", "5.4"], "--kernel '5.4': '5.4' is not a kernel series (6.1 or 6.12)"),
        (["--kernel", "6.1,"], "--kernel '6.1,': '' is not a kernel series"),
        (["--kernel", "6.1", "--kernel", "6.12,6.1"], "--kernel: '6.1' is given twice"),
    ]

    @Test(arguments: badKernels) func badKernelIsBadInput(_ flags: [String], _ message: String) throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.commit("tiny.yaml", TinyExperiment.yaml(), message: "add the e2e experiment")
        let r = buddylab(["run", ws.repo + "/tiny.yaml", "--results", ws.results, "--repo", ws.repo,
                          "--report", ws.path("r.md"), "--json", ws.path("r.json")] + flags)
        #expect(r.status == 2)
        #expect(r.stderr.contains(message), "\(r.stderr)")
        for written in [ws.results, ws.path("r.md"), ws.path("r.json")] {
            #expect(!FileManager.default.fileExists(atPath: written), "\(written)")
        }
    }

    /// TinyExperiment on Linux 6.1 in User-Mode Linux: its fill, churn and contig phases run as the
    /// same seeded request stream (issue 24: the kernel answers as many allocation requests as
    /// the simulated variants make); its alloc at an exact pfn is listed as not run;
    /// `contig 0x600+512` (relocated into a free window) and the watermark check run; the
    /// simulated records in the store are exactly the simulated runs.
    @Test func realKernelColumn() throws {
        let runner: OracleRunner
        do { runner = try OracleRunner.locate(kernel: "6.1") } catch {
            print("RunKernelColumnTests: SKIPPED: \(error.reason)")
            try Test.cancel(Comment(rawValue: "oracle kernel 6.1 unavailable: \(error.reason)"))
        }
        do { _ = try runner.run([.drain]) } catch {
            if error.skippable {
                print("RunKernelColumnTests: SKIPPED: \(error.reason)")
                try Test.cancel(Comment(rawValue: "oracle kernel 6.1 unavailable: \(error.reason)"))
            }
            Issue.record("the oracle kernel exists but failed: \(error.reason)")
            return
        }
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.commit("tiny.yaml", TinyExperiment.yaml(), message: "add the e2e experiment")
        let run = try ws.run("tiny.yaml", json: "run.json", extra: ["--kernel", "6.1"])
        let data = try Data(contentsOf: URL(fileURLWithPath: ws.path("run.json")))
        let doc = try ResultJSON.decode(ResultDocument.self, from: data)
        // Real-kernel runs are kept apart from the variants' runs (`kernel_runs`), so every
        // entry of `runs` keeps the contract's rules (one workload hash per seed, every metric).
        #expect(doc.runs.allSatisfy { $0.kernel == nil })
        #expect(Set(doc.runs.filter { $0.seed == doc.runs[0].seed }.map(\.workloadSHA256)).count == 1)
        let kernelRuns = doc.kernelRuns ?? []
        let k = try #require(kernelRuns.first)
        #expect(kernelRuns.count == 1)
        #expect(k.variant.hasPrefix("kernel 6.1.") && k.variant.hasSuffix(" (UML)"))
        #expect(k.kernel?.series == "6.1")
        #expect(k.kernel?.notRun == [
            "op 0 alloc pfn 0x5ff order 0 unmovable (alloc at an exact pfn: the driver cannot choose where alloc_pages lands)",
        ])
        #expect(k.ops.map(\.index) == [1, 2])
        #expect(k.ops.first?.result == "ok")
        #expect(k.ops.last.map { ["ok", "fail"].contains($0.result) } == true)
        // The generated stream: as many allocation requests as the simulated run of seed 1 made
        // (the pinned one at a pfn is not counted in allocs on either side), the 4 contig attempts of phase 3 beside op 1's.
        let sim = try #require(doc.runs.first { $0.seed == doc.runs[0].seed })
        #expect((k.metrics["allocs"] ?? 0) + (k.metrics["alloc_failures"] ?? 0) == (sim.metrics["allocs"] ?? -1) + (sim.metrics["alloc_failures"] ?? -1))
        #expect(k.metrics["contig_attempts"] == 5)
        #expect(k.metrics["nr_free_pages_drift"] == 0)
        #expect(k.metrics["faults"] == nil)
        #expect(doc.runs.count == TinyExperiment.variants.count * TinyExperiment.seeds.count)
        // The store keeps the simulated runs only.
        let (records, _) = ResultStore(root: ws.results).records(experiment: TinyExperiment.name)
        #expect(records.count == TinyExperiment.variants.count * TinyExperiment.seeds.count)
        #expect(records.allSatisfy { $0.run.kernel == nil && !$0.run.variant.hasPrefix("kernel") })
        let report = try ws.read("run.json.md")
        #expect(report.contains("### \(k.variant)"))
        #expect(report.contains("The generated phases ran on the kernel: "))
        #expect(run.stdout.contains("\(k.variant): not run on a real kernel: op 0 alloc pfn 0x5ff"))
        // report/history keep working on the store.
        let rerender = buddylab(["report", TinyExperiment.name, "--results", ws.results, "--repo", ws.repo, "--out", ws.path("again.md")])
        #expect(rerender.status == 0, "\(rerender.stderr)")
        let history = buddylab(["history", TinyExperiment.name, "--results", ws.results, "--repo", ws.repo])
        #expect(history.status == 0, "\(history.stderr)")
    }
}

/// `buddylab oracle` compares with the variant that claims the kernel's semantics unless
/// `--variant` says otherwise (linux-6.1 for 6.1; the recorded 6.1.192 log agrees with it).
@Suite struct OracleDefaultVariantTests {
    @Test func defaultVariantClaimsTheKernel() {
        let log = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("BuddyOracleTests/Fixtures/kernel-6.1-smoke-cma64M.log").path
        let r = buddylab(["oracle", "--kernel", "6.1", "--from-log", log])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("kernel 6.1.192 (UML) vs linux-6.1: 16 commands, 0 mismatches"), "\(r.stdout)")
        let explicit = buddylab(["oracle", "--kernel", "6.1", "--variant", "linux-5.19", "--from-log", log])
        #expect(explicit.stdout.hasPrefix("kernel 6.1.192 (UML) vs linux-5.19: "), "\(explicit.stdout)")
    }
}
