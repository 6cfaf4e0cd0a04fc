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

    func run() throws {
        try withExitCodes {
            for path in experiments {
                do {
                    let e = try Experiment.load(contentsOf: path)
                    Console.out("\(path): ok (\(e.name): \(e.variants.count) variants × \(e.seeds.count) seeds, ≤ \(e.eventBound) events per seed)\n")
                    for line in ImportSummary.lines(e) { Console.out("  \(line)\n") }
                } catch { throw BadInput(String(describing: error)) }
            }
        }
    }
}
