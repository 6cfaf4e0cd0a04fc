import ArgumentParser

/// `buddylab run EXP.yaml...`. The experiment layer (schema decoding, workload generation,
/// runner) is not landed yet: the command refuses with exit 3 rather than pretend.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run every selected variant on the identical workload of each experiment.")

    @Argument(help: "Experiment files.") var experiments: [String]
    @Option(help: "Comma-separated variant ids (default: the experiment's).") var variants: String?
    @Option(help: "Number of seeds (1...N) overriding the experiment's.") var seeds: Int?
    @Option(help: "Parallel workers.") var jobs: Int?
    @Option(help: "Write the result JSON here.") var json: String?
    @Option(help: "Write the markdown report here (default: reports/NAME.md).") var report: String?
    @Option(help: "Results store directory.") var results: String?
    @Flag(help: "Store runs from a dirty tree as baseline-eligible.") var allowDirty = false
    @Flag(help: "Show a progress line even when stderr is not a terminal.") var progress = false

    func run() throws {
        try withExitCodes {
            printError("run: the experiment runner (issue 4) has not landed in this revision")
            throw Exit.internalError
        }
    }
}

/// `buddylab validate EXP.yaml...`.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate", abstract: "Parse and check experiments without running them.")
    @Argument(help: "Experiment files.") var experiments: [String]

    func run() throws {
        try withExitCodes {
            printError("validate: the experiment decoder (issue 4) has not landed in this revision")
            throw Exit.internalError
        }
    }
}
