import ArgumentParser
import BuddyCore
import BuddyExperiment
import BuddyVariants
import Foundation

/// `buddylab shrink EXP.yaml --variant V --until 'EXPR'`: a minimal `ops:` experiment that still
/// satisfies EXPR.
struct ShrinkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shrink", abstract: "Reduce an experiment to a minimal ops: script that still satisfies a condition.",
        discussion: """
        Expands the workload of one seed into its events (fill, churn, repeat… become the \
        allocations, frees and ops they generate), then delta-debugs (ddmin) the event list \
        down to a 1-minimal one on which the variant still satisfies EXPR, and writes it as a \
        new experiment of ops: that `buddylab run` accepts. The written file is decoded and \
        run once more to confirm it.

        EXPR: METRIC OP N (OP one of == != < <= > >=), `expect` (an expect: entry about the \
        variant fails) or `expect:LINE`, combined with && and ||.

        Examples:
          buddylab shrink EXP.yaml --variant linux-3.7 --until 'nr_free_pages_drift < 0'
          buddylab shrink EXP.yaml --variant zi-yan-v11 --until 'faults > 0' --out min.yaml
          buddylab shrink EXP.yaml --variant linux-5.19 --until 'expect:31'
          buddylab shrink --kernels 6.1,6.1+fix.patch --random 1000 --seed 1 --out min.cmds

        With --kernels A,B (each SERIES or SERIES+FILE): a 1-minimal driver command file on \
        which the two real kernels' states differ (ddmin over the commands up to their first \
        divergence; every comparison boots both kernels), written to --out (default \
        kernels-shrunk.cmds). Exit 1 when they never differ, 3 when a kernel cannot run.
        """)

    @Argument(help: "Experiment file.") var experiment: String?
    @Option(help: "Variant id.") var variant: String?
    @Option(help: "Condition the shrunk workload must still satisfy.") var until: String?
    @Option(help: "Two real kernels instead of a variant: A,B, each SERIES or SERIES+FILE.") var kernels: String?
    @Option(help: "With --kernels: a driver command file to shrink.") var commands: String?
    @Option(help: "With --kernels: N seeded random driver commands to shrink.") var random: Int?
    @Flag(help: "With --kernels --random: add the near-OOM cycle and compound allocations (as oracle --edges).") var edges = false
    @Option(help: "Seed (default: the experiment's first).") var seed: UInt64?
    @Option(help: "Sweep point to use (a sweep: file; default 0, the first). The output names the point used.") var point: Int?
    @Option(help: "Where to write the shrunk experiment (default: NAME-shrunk.yaml in the current directory).") var out: String?
    @Option(help: "Name of the shrunk experiment (default: NAME-shrunk).") var name: String?
    @Option(help: "Most simulations to run (default 5000).") var maxTests: Int = 5000
    @Flag(help: "Show a progress line even when stderr is not a terminal.") var progress = false
    @Option(help: "Memory the simulation may use, e.g. 16GiB (default: MemAvailable).") var maxMemory: String?

    func run() throws {
        try withExitCodes {
            if let kernels {
                guard variant == nil, until == nil else { throw BadInput("--kernels shrinks to where the two kernels differ: give no --variant or --until") }
                let limit = maxTests == 5000 ? 200 : maxTests
                try KernelPairCommands.shrink(kernels: kernels, input: .init(experiment: experiment, commands: commands, random: random, seed: seed ?? 1, edges: edges),
                                              out: out ?? "kernels-shrunk.cmds", maxTests: limit)
                return
            }
            guard commands == nil, random == nil, !edges else { throw BadInput("--commands, --random and --edges go with --kernels") }
            guard let experiment, let variant, let until else { throw BadInput("give EXP.yaml --variant V --until EXPR (or --kernels A,B)") }
            guard let v = Variants.named(variant) else {
                throw BadInput("--variant: unknown variant '\(variant)'; known: \(Variants.ids.joined(separator: ", "))")
            }
            guard maxTests >= 1 else { throw BadInput("--max-tests must be at least 1") }
            if let name, name.isEmpty || !name.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }) {
                throw BadInput("--name must match [a-z0-9-]+")
            }
            let choice = try SweepPointChoice.load(experiment, point: point)
            let e = choice.experiment
            // Shrinking re-generates and runs whole programs: a streamed trace past 10⁸ events is refused.
            if let problem = e.heldWholeProblem() { throw BadInput("shrink: " + problem) }
            try MemoryBudget.resolve(maxMemory: maxMemory).check(e)
            let condition: ShrinkCondition
            do { condition = try ShrinkCondition(until, expectations: e.expectations, variant: v.id) } catch {
                throw BadInput(String(describing: error))
            }
            let path = out ?? "\(e.name)-shrunk.yaml"
            // The same output rules as --report: a device or FIFO is written through, never
            // replaced; a symlink stays a link; the experiment itself is refused as the output.
            let target = try OutputTarget.prepare(path, flag: out == nil ? "output path" : "--out", inputs: [experiment])
            let s = seed ?? e.seeds[0]
            let shrinker = Shrinker(experiment: e, variant: v, seed: s, condition: condition, budget: maxTests)
            let outcome: Shrinker.Outcome
            let meter = ProgressMeter.make("shrink \(e.name)", forced: progress)
            do {
                outcome = try shrinker.shrink(name: name) { tests, smallest, original in
                    meter?.status("\(tests) simulations, \(smallest) of \(original) events kept so far")
                }
            } catch { meter?.finish(); throw BadInput(String(describing: error)) }
            meter?.finish()
            // The file must decode and still show the behaviour before it is written.
            let check: Experiment
            do { check = try Experiment.decode(yaml: outcome.yaml, file: path) } catch {
                Console.err("buddylab: internal error: the shrunk experiment does not decode: \(error)\n")
                throw Exit.internalError
            }
            let recheck = Shrinker(experiment: check, variant: v, seed: s, condition: condition, budget: 1)
            guard recheck.satisfies(WorkloadGenerator.generate(check, seed: s).program.events) else {
                Console.err("buddylab: internal error: the shrunk experiment no longer satisfies '\(until)'\n")
                throw Exit.internalError
            }
            do { try target.write(outcome.yaml) } catch {
                Console.err("buddylab: error: cannot write \(path): \(error)\n"); throw Exit.internalError
            }
            if let note = choice.note { Console.out(note + "\n") }
            Console.out("\(e.name) seed \(s), \(v.id), until '\(until)': \(outcome.kept.count) of \(outcome.originalEvents) "
                        + "events kept after \(outcome.tests) simulations"
                        + (outcome.budgetExhausted ? " (budget exhausted: not proven minimal)" : " (1-minimal)")
                        + "\nwrote \(path)\n")
        }
    }
}
