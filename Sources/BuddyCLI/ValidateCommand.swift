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
                    let points = try Experiment.loadPoints(contentsOf: path)
                    let e = points[0]
                    let sweep = e.point == nil ? "" : "\(points.count) sweep points × "
                    let bound = points.map(\.eventBound).max() ?? e.eventBound
                    Console.out("\(path): ok (\(e.name): \(sweep)\(e.variants.count) variants × \(e.seeds.count) seeds, ≤ \(bound) events per seed)\n")
                } catch { throw BadInput(String(describing: error)) }
            }
        }
    }
}
