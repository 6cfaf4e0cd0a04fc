import ArgumentParser
import BuddyCore
import BuddyExperiment
import BuddyVariants

/// `buddylab diverge EXP.yaml --variants A,B [--seed S]`: the first event after which two
/// variants' observable state differs.
struct DivergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diverge", abstract: "Find the first event after which two variants' states differ.",
        discussion: """
        Runs both variants in lockstep on the seed's identical program and compares, after \
        every event, the op result, the zone counters (NR_FREE_PAGES, NR_FREE_CMA_PAGES, \
        nr_isolate_pageblock), free_area[order].nr_free, every free list (which blocks, of \
        which order, on which migratetype list) and every pageblock's migratetype. Prints \
        that event, what it did in each variant and the state difference. Nothing is \
        written. Exit 0 when the states never differ, 1 when they do, 2 on bad input.

        With --kernels A,B (each 6.1, 6.12 or SERIES+FILE: that kernel with the patch FILE), \
        the two real kernels run the same driver commands (the experiment's ops: made against \
        a probe boot of A, --commands FILE, or --random N --seed S), one boot each with a \
        snapshot after every command, and the first command after which their whole states \
        (result, counters, nr_free, every free list in list order, pageblock types) differ is \
        printed in kernel terms. Exit 3 when a kernel cannot be built or run.

        Examples:
          buddylab diverge hanjun-cma-race.yaml --variants linux-3.18,linux-4.6
          buddylab diverge qian-cai-offline.yaml --variants linux-5.19,zi-yan-v11 --seed 2
          buddylab diverge contig-sweep.yaml --variants linux-5.18,linux-6.1 --point 3
          buddylab diverge --kernels 6.1,6.1+experiments/patches/move-freelist-head.patch --random 1000 --seed 1
        """)

    @Argument(help: "Experiment file.") var experiment: String?
    @Option(help: "Two comma-separated variant ids: A,B.") var variants: String?
    @Option(help: "Seed (default: the experiment's first; with --random, 1).") var seed: UInt64?
    @Option(help: "Sweep point to use (a sweep: file; default 0, the first). The output names the point used.") var point: Int?
    @Option(help: "Two real kernels instead of variants: A,B, each SERIES or SERIES+FILE (e.g. 6.1,6.1+fix.patch).") var kernels: String?
    @Option(help: "With --kernels: a driver command file to run (PROTOCOL.md).") var commands: String?
    @Option(help: "With --kernels: N seeded random driver commands (the oracle's generator).") var random: Int?
    @Flag(help: "With --kernels --random: add the near-OOM cycle and compound allocations (as oracle --edges).") var edges = false
    @Option(help: "Memory the simulation may use, e.g. 16GiB (default: MemAvailable).") var maxMemory: String?

    func run() throws {
        try withExitCodes {
            if let kernels {
                guard variants == nil else { throw BadInput("give --variants or --kernels, not both") }
                try KernelPairCommands.diverge(kernels: kernels, input: .init(experiment: experiment, commands: commands, random: random, seed: seed ?? 1, edges: edges))
                return
            }
            guard commands == nil, random == nil, !edges else { throw BadInput("--commands, --random and --edges go with --kernels") }
            guard let experiment, let variants else { throw BadInput("give EXP.yaml --variants A,B (or --kernels A,B)") }
            let ids = variants.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
            guard ids.count == 2, ids[0] != ids[1] else { throw BadInput("--variants takes exactly two different ids: A,B") }
            let pair = try ids.map { id in
                guard let v = Variants.named(id) else {
                    throw BadInput("--variants: unknown variant '\(id)'; known: \(Variants.ids.joined(separator: ", "))")
                }
                return v
            }
            let choice = try SweepPointChoice.load(experiment, point: point)
            let e = choice.experiment
            // Both machines step one whole program: a streamed trace past 10⁸ events is refused.
            if let problem = e.heldWholeProblem() { throw BadInput("diverge: " + problem) }
            // Two machines side by side (one per variant): each gets half the budget.
            let budget = try MemoryBudget.resolve(maxMemory: maxMemory)
            try MemoryBudget(bytes: budget.bytes / 2, source: budget.source + ", halved: diverge runs two machines").check(e)
            let s = seed ?? e.seeds[0]
            let program = WorkloadGenerator.generate(e, seed: s).program
            let found = DivergenceFinder(program: program, a: pair[0], b: pair[1]).find()
            if let note = choice.note { Console.out(note + "\n") }
            Console.out(DivergenceText.render(found, experiment: e.name, seed: s, a: ids[0], b: ids[1],
                                              events: program.events.count))
            if found != nil { throw Exit.expectationFailed }
        }
    }
}

/// The text `diverge` prints.
enum DivergenceText {
    static func render(_ d: Divergence?, experiment: String, seed: UInt64, a: String, b: String, events: Int) -> String {
        guard let d else {
            return "\(experiment) seed \(seed): \(a) and \(b) never diverge: identical observable state after all \(events) events\n"
        }
        var out = ""
        if d.event < 0 {
            out += "\(experiment) seed \(seed): \(a) and \(b) differ before the first event (\(d.eventText))\n"
        } else {
            out += "\(experiment) seed \(seed): first divergence after event \(d.event) of \(d.eventCount)\n"
            out += "  event \(d.event): \(d.eventText)\n"
            if let (oa, ob) = d.outcomes {
                out += "  \(a): \(oa.result)\(oa.detail.isEmpty ? "" : " — \(oa.detail)")\n"
                out += "  \(b): \(ob.result)\(ob.detail.isEmpty ? "" : " — \(ob.detail)")\n"
            }
        }
        if d.differences.isEmpty {
            out += "  state difference: none — only the op result differs\n"
        } else {
            out += "  state difference:\n"
            for line in d.differences { out += "    \(line)\n" }
        }
        return out
    }
}
