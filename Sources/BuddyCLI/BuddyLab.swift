import ArgumentParser

/// `buddylab`: compare Linux buddy-allocator patch designs on identical workloads.
public struct BuddyLab: ParsableCommand {
    public static let version = "0.1.0"
    public static let configuration = CommandConfiguration(
        commandName: "buddylab",
        abstract: "Compare Linux buddy-allocator patch designs on identical, seeded workloads.",
        discussion: """
        Examples:
          buddylab run experiments/neighbour-unmovable.yaml
          buddylab run experiments/*.yaml --variants linux-5.18,linux-5.19 --seeds 3
          buddylab validate experiments/*.yaml
          buddylab variants
          buddylab history contig-sweep --metric contig_successes
          buddylab compare HEAD~1 HEAD --threshold 5
          buddylab run experiments/contig-sweep.yaml --shard 0/4 --results out/0
          buddylab merge out/0 out/1 out/2 out/3 --into results
          buddylab report contig-sweep --format mmtests --variants linux-5.18,linux-5.19

        Exit codes: 0 success; 1 an expect: failed or a regression was found; \
        2 bad input; 3 internal error.

        Run 'buddylab help <subcommand>' for each command's options and examples.
        """,
        version: version,
        subcommands: [RunCommand.self, ValidateCommand.self, VariantsCommand.self,
                      ReportCommand.self, HistoryCommand.self, CompareCommand.self,
                      MergeCommand.self, OracleCommandLine.self,
                      DivergeCommand.self, ShrinkCommand.self])
    public init() {}
}
