import BuddyExperiment
import BuddyResults
import Foundation
import Testing

/// Issue 12, defect 2: a machine that cannot fit in memory is exit 2 at its `machine:` key with
/// the figure, from `validate` and `run` alike, before anything is allocated or written (it used
/// to validate, then die with "failed to allocate 25769803776 bytes", exit 134).
@Suite struct MemoryFootprintTests {
    /// The defect's machine: one 3 TiB zone of 1 KiB pages.
    static let hugeMachine = """
        schema: 1
        name: huge
        description: 3 TiB of 1 KiB pages.
        machine:
          preset: x86_64
          page_size: 1KiB
          zones:
            - { name: Normal, size: 3TiB }
        variants: [linux-5.18]
        workload:
          - fill: { until: 10%, mix: { movable: 100% }, orders: { 9: 100% } }

        """

    @Test func tooLargeMachineIsRefusedAtTheMachineKey() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.commit("huge.yaml", Self.hugeMachine, message: "a machine too large")
        let file = ws.repo + "/huge.yaml"
        let e = try Experiment.load(contentsOf: file)
        let frames = 3 << 30
        #expect(e.machine.layout.totalPages == frames)
        // 10 B per frame alone is 30 GiB; the whole run needs at least that.
        #expect(e.runFootprintBytes >= frames * 10)
        let message = "\(file):4:1: machine needs \(Experiment.gib(e.runFootprintBytes)) of engine state per run "
            + "(10 B per frame × \(frames) frames + \(Experiment.gib(e.runFootprintBytes - frames * 10)) of tables, "
            + "handles and workload), 16 GiB available (--max-memory); use smaller zones or a larger page_size, "
            + "or set --max-memory"
        // 30 GiB of frames + 49.2 MiB (the fill's event bound × the 32-byte event since issue
        // 25; the 40-byte event of issue 21's gfp mask made it 54 MiB and 30.1 GiB) rounds to 30 GiB.
        #expect(message.contains("machine needs 30 GiB of engine state per run"))
        let v = buddylab(["validate", file, "--max-memory", "16GiB"])
        #expect(v.status == 2)
        #expect(v.stderr == "buddylab: error: \(message)\n", "\(v.stderr)")
        #expect(v.stdout == "")
        let r = buddylab(["run", file, "--max-memory", "16GiB", "--results", ws.results, "--repo", ws.repo,
                          "--json", ws.path("r.json"), "--report", ws.path("r.md")])
        #expect(r.status == 2)
        #expect(r.stderr == "buddylab: error: \(message)\n")
        #expect(!FileManager.default.fileExists(atPath: ws.results))
        #expect(!FileManager.default.fileExists(atPath: ws.path("r.json")))
        #expect(!FileManager.default.fileExists(atPath: ws.path("r.md")))
    }

    /// The boundary is the run's footprint itself: one byte less is refused, exactly enough runs;
    /// `validate` prints the figure.
    @Test func budgetBoundaryIsTheFootprint() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.commit("tiny.yaml", TinyExperiment.yaml(), message: "add the e2e experiment")
        let file = ws.repo + "/tiny.yaml"
        let experiment = try Experiment.load(contentsOf: file)
        let need = experiment.runFootprintBytes
        let below = buddylab(["validate", file, "--max-memory", String(need - 1)])
        #expect(below.status == 2)
        #expect(below.stderr.hasPrefix("buddylab: error: \(file):4:1: machine needs "))
        let exact = buddylab(["validate", file, "--max-memory", String(need)])
        #expect(exact.status == 0, "\(exact.stderr)")
        // The peak is estimated from what the runs hold: the programs generated and counted
        // (`programCensus`), not the bound the memory check uses.
        let census = try #require(experiment.programCensus())
        #expect(census.events <= experiment.eventBound && experiment.runFootprintBytes(census: census) < need)
        let peak = experiment.peakRSSBytes(footprint: experiment.runFootprintBytes(census: census))
        #expect(exact.stdout.hasSuffix(", ≈ \(Experiment.gib(need)) per run, "
                                       + "≈ \(Experiment.gib(peak)) peak RSS one run at a time)\n"))
        // --quick generates nothing: the peak is the bound's.
        let quick = buddylab(["validate", file, "--max-memory", String(need), "--quick"])
        #expect(quick.status == 0)
        #expect(quick.stdout.hasSuffix(", ≈ \(Experiment.gib(need)) per run, "
                                       + "≈ \(Experiment.gib(experiment.peakRSSBytes())) peak RSS one run at a time)\n"))
        // On this 16 MiB machine both peaks are the process at the end (`processEndBytes`).
        #expect(experiment.peakRSSBytes() == peak && peak == Experiment.processEndBytes + (runs(experiment) - 1) * experiment.resultBytesPerRun
                + (experiment.variants.count - 1) * Experiment.processBytesPerVariant)
        // Issue 25: the larger of the process during its last run (the run, every variant's
        // share and the results of the runs before it) and the process at the end.
        let v = experiment.variants.count, runs = v * experiment.seeds.count
        let pageblocks = experiment.machine.layout.totalPages >> experiment.machine.geometry.pageblockOrder
        #expect(experiment.resultBytesPerRun == 16 * 1024 + 2 * pageblocks)
        let kept = (v - 1) * 80 * 1024 + (runs - 1) * experiment.resultBytesPerRun
        #expect(Experiment.processRunBytes == 31 * 1024 * 1024 + 256 * 1024)
        #expect(Experiment.processEndBytes == 37 * 1024 * 1024 + 300 * 1024)
        #expect(experiment.peakRSSBytes() == max(Experiment.processRunBytes + need + kept, Experiment.processEndBytes + kept))
        #expect(experiment.peakRSSBytes(jobs: 2) == max(Experiment.processRunBytes + 2 * need + kept, Experiment.processEndBytes + kept))
        #expect(experiment.peakRSSBytes(runs: 1) == max(Experiment.processRunBytes + need, Experiment.processEndBytes)
                + (v - 1) * 80 * 1024)
        let bad = buddylab(["validate", file, "--max-memory", "2GB"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--max-memory: expected a size such as 16GiB"))
    }

    /// With room for two runs, `--jobs 4` runs two at a time (a note says so) and the results
    /// are those of a serial run.
    @Test func jobsAreCappedToWhatFits() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.commit("tiny.yaml", TinyExperiment.yaml(), message: "add the e2e experiment")
        let file = ws.repo + "/tiny.yaml"
        let experiment = try Experiment.load(contentsOf: file)
        let need = experiment.runFootprintBytes
        let capped = buddylab(["run", file, "--jobs", "4", "--max-memory", String(2 * need + need / 2),
                               "--results", ws.results, "--repo", ws.repo,
                               "--json", ws.path("capped.json"), "--report", ws.path("capped.md")])
        #expect(capped.status == 0, "\(capped.stderr)")
        #expect(capped.stderr.hasPrefix("buddylab: note: \(TinyExperiment.name): 2 run(s) at a time: each needs up to "))
        let serial = buddylab(["run", file, "--jobs", "1", "--results", ws.results, "--repo", ws.repo,
                               "--json", ws.path("serial.json"), "--report", ws.path("serial.md")])
        #expect(serial.status == 0, "\(serial.stderr)")
        func runs(_ name: String) throws -> [RunResult] {
            try ws.document(name).document.runs.map { var r = $0; r.timing = nil; return r }
        }
        #expect(try runs("capped.json") == runs("serial.json"))
    }
}

private func runs(_ e: Experiment) -> Int { e.variants.count * e.seeds.count }
