import ArgumentParser
import BuddyExperiment
import Foundation

/// `buddylab validate EXP.yaml...`: parse and check without running; exit 2 on the first error.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate", abstract: "Parse and check experiments without running them.",
        discussion: """
        Nothing is run or written. A bad file exits 2 with file:line:column and the \
        problem.

        Examples:
          buddylab validate experiments/smoke.yaml
          buddylab validate experiments/*.yaml
          buddylab validate --quick experiments/*.yaml
        """)
    @Argument(help: "Experiment files.") var experiments: [String]
    @Option(help: "Memory the simulation may use, e.g. 16GiB (default: MemAvailable).") var maxMemory: String?
    @Flag(help: ArgumentHelp(
        "Do not generate the first seed's program for the peak-RSS estimate.",
        discussion: "The peak estimate then takes the workload's event bound (the memory check's figure), which overstates aged and churned workloads by up to 11 %. Without --quick a generated workload's first-seed program is generated (not run) and counted: 0.1–0.2 s for the largest bundled experiments, within ±3 % of the measured peak RSS for all 28."))
    var quick = false

    func run() throws {
        try withExitCodes {
            let budget = try MemoryBudget.resolve(maxMemory: maxMemory)
            for path in experiments {
                let points: [Experiment]
                do { points = try Experiment.loadPoints(contentsOf: path) } catch { throw BadInput(String(describing: error)) }
                // The same memory check as `run`, so "ok" means the run can start.
                for point in points { try budget.check(point) }
                let e = points[0]
                let sweep = e.point == nil ? "" : "\(points.count) sweep points × "
                let bound = points.map(\.eventBound).max() ?? e.eventBound
                // Estimates, not bounds ("≈"): per run (what `--jobs` multiplies), and the peak
                // of a process running one at a time (`Experiment.peakRSSBytes`: the process's
                // measured code and heap during and after the runs; docs/limits.md compares
                // both with peak RSS).
                let footprint = points.map(\.runFootprintBytes).max() ?? e.runFootprintBytes
                let runs = points.count * e.variants.count * e.seeds.count
                // The peak from what the runs will hold: a generated workload's programs are
                // generated (not run) and counted (`Experiment.programCensus`); the per-run
                // figure stays the bound the memory check compares.
                let censuses = quick ? points.map { _ in nil } : points.map { $0.programCensus() }
                let peak = zip(points, censuses).map { p, c in
                    p.peakRSSBytes(runs: runs, footprint: c.map { p.runFootprintBytes(census: $0) })
                }.max() ?? e.peakRSSBytes()
                Console.out("\(path): ok (\(e.name): \(sweep)\(e.variants.count) variants × \(e.seeds.count) seeds, "
                            + "≤ \(bound) events per seed, ≈ \(Experiment.gib(footprint)) per run, "
                            + "≈ \(Experiment.gib(peak)) peak RSS one run at a time)\n")
                if let stream = e.streamFacts() { Console.out("  " + Self.streamLine(stream, runs: e.variants.count * e.seeds.count) + "\n") }
                for line in ImportSummary.lines(e) { Console.out("  \(line)\n") }
            }
        }
    }

    /// What a streamed trace costs besides memory (issue 25): the one parse, timed here, and
    /// the spill every run reads back, against the room left where it lives.
    static func streamLine(_ s: (events: Int, spillBytes: Int, decodeSeconds: Double), runs: Int) -> String {
        let free = Experiment.spillFreeBytes().map { ", \(Experiment.gib($0)) free there" } ?? ""
        let rate = s.decodeSeconds > 0 ? String(format: " (%.1f M events/s)", Double(s.events) / s.decodeSeconds / 1e6) : ""
        return "streamed: \(s.events) events per run × \(runs) runs; the trace's one parse took "
            + String(format: "%.1f s", s.decodeSeconds) + rate + "; spill \(Experiment.gib(s.spillBytes)) in "
            + "\(Experiment.spillDirectory)\(free), read back by every run"
    }
}
