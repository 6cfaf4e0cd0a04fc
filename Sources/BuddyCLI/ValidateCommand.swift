import ArgumentParser
import BuddyExperiment

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
        """)
    @Argument(help: "Experiment files.") var experiments: [String]
    @Option(help: "Memory the simulation may use, e.g. 16GiB (default: MemAvailable).") var maxMemory: String?

    func run() throws {
        try withExitCodes {
            let budget = try MemoryBudget.resolve(maxMemory: maxMemory)
            for path in experiments {
                let e: Experiment
                do { e = try Experiment.load(contentsOf: path) } catch { throw BadInput(String(describing: error)) }
                // The same memory check as `run`, so "ok" means the run can start.
                try budget.check(e)
                Console.out("\(path): ok (\(e.name): \(e.variants.count) variants × \(e.seeds.count) seeds, "
                            + "≤ \(e.eventBound) events per seed, ≤ \(Experiment.gib(e.runFootprintBytes)) per run)\n")
            }
        }
    }
}
