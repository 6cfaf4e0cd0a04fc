import BuddyCore
import BuddyExperiment
import BuddyOracle
import Foundation

/// `diverge --kernels A,B` and `shrink --kernels A,B`: two real kernels (`6.1`, `6.1+FILE`,
/// `6.12`…) on the same driver commands (KernelPair). The commands come from an experiment's
/// `ops:` (planned as for `run --kernel`: KernelRunPlan, pfn ops relocated to a window that is
/// free at a probe boot of kernel A, what cannot run listed), a driver command file
/// (`--commands F`) or `--random N --seed S` (against the probe's state).
enum KernelPairCommands {
    struct Input {
        var experiment: String?
        var commands: String?
        var random: Int?
        var seed: UInt64
        /// With `random`: the generator's near-OOM cycle (`oracle --edges`).
        var edges = false
    }

    /// `A,B`: two different kernels, each `SERIES` or `SERIES+FILE`, every patch checked for
    /// shape and for applying before anything boots.
    static func parsePair(_ text: String) throws -> (KernelTarget, KernelTarget) {
        let items = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard items.count == 2 else { throw BadInput("--kernels takes exactly two kernels: A,B (each SERIES or SERIES+FILE, e.g. 6.1,6.1+fix.patch)") }
        let pair: [KernelTarget]
        do { pair = try items.map { try KernelTarget.parse($0, flag: "--kernels") } } catch let p as KernelPatch.Problem { throw BadInput(p.message) }
        // The same kernel twice is allowed: two boots of one kernel are the noise control.
        let (problems, _) = KernelTarget.checkApplies(pair)
        guard problems.isEmpty else { throw BadInput(problems.joined(separator: "\n")) }
        return (pair[0], pair[1])
    }

    static func checkInput(_ i: Input) throws {
        let n = [i.experiment != nil, i.commands != nil, i.random != nil].filter { $0 }.count
        guard n == 1 else { throw BadInput("--kernels: give exactly one of EXP.yaml, --commands FILE or --random N") }
        guard !i.edges || i.random != nil else { throw BadInput("--edges goes with --random") }
        if let r = i.random, !(1...OracleCommandLine.maxRandom).contains(r) { throw BadInput("--random: N must be 1…\(OracleCommandLine.maxRandom), not \(r)") }
    }

    static func makePair(_ a: KernelTarget, _ b: KernelTarget) throws -> KernelPair {
        do { return KernelPair(a: a, b: b, runA: try a.runner(), runB: try b.runner()) } catch {
            printError("the real kernel cannot run here: \(error.reason)"); throw Exit.internalError
        }
    }

    /// The commands of `input`: a command file as is; an experiment's ops or random commands
    /// made against a probe boot of kernel A (one `drain`).
    static func commands(_ input: Input, pair: inout KernelPair) throws -> [OracleCommand] {
        if let file = input.commands { return try OracleCommandLine.readCommandFile(file) }
        var plan: KernelRunPlan?
        if let path = input.experiment {
            let e: Experiment
            do { e = try Experiment.load(contentsOf: path) } catch { throw BadInput(String(describing: error)) }
            plan = KernelRunPlan(e)
            guard plan?.isEmpty == false else { throw BadInput("\(path): nothing of it can run on a real kernel: " + (plan?.notRun.map(\.description).joined(separator: "; ") ?? "")) }
        }
        let probe: (log: String, seconds: Double, build: String?)
        do { probe = try pair.a.runner().run([.drain]) } catch { printError("kernel \(pair.a): \(error.reason)"); throw Exit.internalError }
        let log: OracleLog
        do { log = try OracleLogParser.parse(probe.log, file: "kernel-\(pair.a).log") } catch {
            printError("kernel \(pair.a): its log breaks the protocol: \(error)"); throw Exit.internalError
        }
        guard let v = KernelColumn.modelVariant(series: pair.a.series) else { throw Exit.internalError }
        let model: any KernelModel
        do { model = try makeKernelModel(variant: v, log: log) } catch {
            printError("kernel \(pair.a): the probe boot's state cannot be imported: \(error.message)"); throw Exit.internalError
        }
        if var plan {
            if let problem = plan.geometryProblem(kernel: log.geometry) { throw BadInput("\(input.experiment ?? ""): \(problem)") }
            var offset = 0
            if plan.needsWindow {
                if let base = KernelRunPlan.window(pages: plan.span.count, in: log.initial.snapshot, geometry: log.geometry) {
                    offset = base - plan.span.lowerBound
                    Console.out("ops at a pfn relocated by +0x\(String(offset, radix: 16)) (experiment pfn 0x\(String(plan.span.lowerBound, radix: 16)) is kernel pfn 0x\(String(base, radix: 16)), a window free at boot)\n")
                } else {
                    plan.dropPfnOps(reason: "no window of \(plan.span.count) pages made of free max-order blocks in the kernel's zone at boot")
                }
            }
            for n in plan.notRun { Console.out("not run on a real kernel: \(n)\n") }
            let commands = plan.commands(offset: offset, against: model).commands.map(\.command)
            guard !commands.isEmpty else { throw BadInput("\(input.experiment ?? ""): no op of it can run on a real kernel") }
            return commands
        }
        var g = CommandGenerator(seed: input.seed)
        g.edges = input.edges
        return g.generate(count: input.random ?? 0, against: model)
    }

    static func compare(_ pair: inout KernelPair, _ commands: [OracleCommand]) throws -> KernelPair.Comparison {
        do { return try pair.compare(commands) } catch { printError(error.reason); throw Exit.internalError }
    }

    static func costLine(_ pair: KernelPair) -> String {
        String(format: "%d boots, %.2f s per boot (boot, commands, snapshots, power-off)\n",
               pair.boots, pair.boots == 0 ? 0 : pair.bootSeconds / Double(pair.boots))
    }

    /// `diverge --kernels A,B`: exit 0 when the states never differ, 1 when they do.
    static func diverge(kernels: String, input: Input) throws {
        try checkInput(input)
        let (a, b) = try parsePair(kernels)
        var pair = try makePair(a, b)
        let commands = try Self.commands(input, pair: &pair)
        let c = try compare(&pair, commands)
        Console.out(KernelPair.render(c, a: "\(a)", b: "\(b)", commands: commands.count) + costLine(pair))
        if c.divergence != nil { throw Exit.expectationFailed }
    }

    /// `shrink --kernels A,B`: a 1-minimal command file (ddmin over the commands up to the first
    /// divergence) on which the two kernels' states still differ, written to `out`.
    static func shrink(kernels: String, input: Input, out: String, maxTests: Int) throws {
        try checkInput(input)
        guard maxTests >= 1 else { throw BadInput("--max-tests must be at least 1") }
        let (a, b) = try parsePair(kernels)
        let inputs = [input.experiment, input.commands].compactMap { $0 }
        let target = try OutputTarget.prepare(out, flag: "--out", inputs: inputs)
        var pair = try makePair(a, b)
        let all = try Self.commands(input, pair: &pair)
        let whole = try compare(&pair, all)
        guard let first = whole.divergence, whole.attributable else {
            if whole.divergence != nil {
                Console.out(KernelPair.render(whole, a: "\(a)", b: "\(b)", commands: all.count) + "nothing to shrink: the difference is within the boots' noise\n" + costLine(pair))
                throw Exit.expectationFailed
            }
            Console.out("kernels \(a) and \(b) never diverge on these \(all.count) commands: nothing to shrink\n" + costLine(pair))
            throw Exit.expectationFailed
        }
        guard first.step > 0 else {
            Console.out(KernelPair.render(first, a: "\(a)", b: "\(b)", commands: all.count)
                        + "the zones differ before any command: no command file can be smaller than none\n")
            throw Exit.expectationFailed
        }
        let prefix = Array(all.prefix(first.step))
        let shrink = KernelShrink(commands: prefix, log: whole.a)
        var failure: Error?
        let result = KernelShrink.ddmin(count: prefix.count, budget: maxTests) { keep in
            guard failure == nil else { return false }
            let cmds = shrink.candidate(keep)
            guard !cmds.isEmpty else { return false }
            do { return try pair.compare(cmds).attributable } catch { failure = error; return false }
        }
        if let failure { printError("\(failure)"); throw Exit.internalError }
        let minimal = shrink.candidate(result.keep)
        // Confirm on both kernels once more before writing.
        let again = try compare(&pair, minimal)
        guard let confirm = again.divergence, again.attributable else {
            printError("the shrunk command file no longer shows a difference between \(a) and \(b) (the kernels' own activity between boots?)")
            throw Exit.internalError
        }
        let header = "\(minimal.count) commands on which kernels \(a) and \(b) differ (after command \(confirm.step)), shrunk from \(all.count): "
            + "buddylab diverge --kernels \(a),\(b) --commands \(out)"
        try target.write(Reproducer.commandFile(minimal, header: header))
        Console.out(KernelPair.render(again, a: "\(a)", b: "\(b)", commands: minimal.count)
                    + "\(minimal.count) of \(all.count) commands kept (first divergence was after command \(first.step)) after \(result.tests) comparisons"
                    + (result.exhausted ? " (budget exhausted: not proven minimal)" : " (1-minimal)") + "\n"
                    + costLine(pair) + "wrote \(out)\n")
    }
}
