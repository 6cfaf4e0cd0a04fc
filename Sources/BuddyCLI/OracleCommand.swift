import ArgumentParser
import BuddyBounds
import BuddyCore
import BuddyExperiment
import BuddyOracle
import BuddyVariants
import Foundation

/// `buddylab oracle --kernel 6.1|6.12 --variant V [--random N --seed S | EXP.yaml | --from-log F]`:
/// lockstep against the real kernel (User-Mode Linux, scripts/oracle/PROTOCOL.md).
struct OracleCommandLine: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "oracle", abstract: "Run commands on the real kernel and the simulator in lockstep; compare every state.",
        discussion: """
        Boots the oracle kernel (User-Mode Linux built from Debian's linux-source; \
        scripts/oracle/run), imports its state into the simulator, applies the same commands to \
        both and compares the whole state — result, free lists per order and type in list \
        order, nr_free, NR_FREE_PAGES, NR_FREE_CMA_PAGES, pageblock types — after every command. \
        Prints the number of commands and of mismatches; at the first mismatch prints both \
        sides in kernel terms and a reproducing experiment, and exits 1.

        Exit codes: 0 no mismatch; 1 a mismatch; 2 bad input; 3 the kernel could not be run \
        (the reason is printed) or its log breaks the protocol.

        Examples:
          buddylab oracle --kernel 6.1 --random 1000 --seed 1
          buddylab oracle --kernel 6.1 --machine pc --random 1000 --seed 1
          buddylab oracle --kernel 6.12 --random 1000 --seed 1
          buddylab oracle --kernel 6.12 --random 2000 --seed 1 --pcp
          buddylab oracle --kernel 6.1 --variant linux-5.19 experiments/neighbour-unmovable.yaml
          buddylab oracle --kernel 6.1 --commands repro.cmds
          buddylab oracle --kernel 6.1 --from-log kernel.log
          buddylab oracle --kernel 6.1 --calibration reports/calibration.md
          buddylab oracle --kernel 6.1 --kernel-patch experiments/patches/move-freelist-head.patch --random 1000 --seed 1
        """)

    @Option(help: "Kernel: 6.1 or 6.12 (or SERIES+FILE: that kernel with the patch FILE applied).") var kernel: String
    @Option(name: .customLong("kernel-patch"), help: ArgumentHelp(
        "Run on the kernel with this patch applied (patch -p1 after buddylab's own patches; built once, cached by its SHA-256).",
        discussion: "Holds the variant against the patched kernel: the patch's author sees the kernel patch and its Swift model agree, or where they part. Same as --kernel SERIES+FILE."))
    var kernelPatch: String?
    @Option(help: "Simulator variant to compare with (default: the one claiming the kernel's semantics, linux-6.1 for 6.1, linux-6.12 for 6.12).")
    var variant: String?
    @Option(help: "Run N seeded random commands.") var random: Int?
    @Option(help: "Seed of --random.") var seed: UInt64 = 1
    @Flag(inversion: .prefixedNo, help: "With --random: the near-OOM cycle (a squeeze to the min mark, a min-mark boundary probe, __GFP_HIGH and compound allocations under pressure). The default since the driver stops the guest's kswapd and kcompactd (PROTOCOL.md, \"Quiet guest\"); --no-edges: the gentler cycle that stops 64 pages above MIN.") var edges = true
    @Flag(inversion: .prefixedNo, help: "With --random: draw whole-zone compactions (`compact`: compact_node's pass over the zone's anon and LRU pages); --no-compaction leaves them out.") var compaction = true
    @Option(name: .customLong("from-log"), help: "Compare an existing oracle log instead of booting.") var fromLog: String?
    @Option(help: "Run a driver command file (PROTOCOL.md; e.g. a reproducer's command list) as is.") var commands: String?
    @Option(name: .customLong("log"), help: "Write the kernel's log to FILE.") var logOut: String?
    @Option(help: "Write the reproducing experiment of a mismatch to FILE (also printed).") var reproducer: String?
    @Option(help: "Write the calibration report (§10 cases, kernel beside simulator) to FILE.") var calibration: String?
    @Option(help: "CMA area the driver reserves at boot (run's --cma).") var cma: String = "64M"
    @Option(help: ArgumentHelp("Machine: uml (User-Mode Linux, one zone; the default) or pc (x86_64 under QEMU TCG: zones DMA, DMA32, Normal, memory blocks that go offline and online; scripts/oracle/run-x86).",
                               discussion: "With pc, --random chooses its commands against a probe boot's state 0 (no interactive batch) and draws offline/online of memory blocks."))
    var machine: String = "uml"
    @Option(help: ArgumentHelp("With --machine pc: a Movable zone of SIZE (the kernel's movablecore=SIZE, e.g. 512M) at the top of memory.",
                               discussion: "The driver's requests (no __GFP_HIGHMEM) never start there; anon faults (GFP_HIGHUSER_MOVABLE) and blocks going offline and online do."))
    var movablecore: String?
    @Option(help: "With --machine pc: the guest's RAM (run-x86's --mem; default 1G: 512M below 4 GiB, the rest above as Normal).") var mem: String?
    @Option(help: ArgumentHelp("With --machine pc: SIZE more RAM above Normal that the boot leaves out (mem=), for memory hot-add (e.g. 256M).",
                               discussion: "--random then draws `hotadd` (add_memory() of the next memory block, as for a hot-plugged DIMM) and the online of added blocks, which grows Normal's span."))
    var hotadd: String?
    @Flag(help: "Boot with per-cpu lists on (no buddylab_nopcp): the simulator runs one CPU with the kernel's pcp lists and set fields imported, compared in list order after every command; drain runs drain_all_pages on both sides.") var pcp = false
    @Flag(help: "Show progress (kernel build stages, boots, comparison) even when stderr is not a terminal.") var progress = false
    @Argument(help: "An experiment whose ops: script to run.") var experiment: String?

    func run() throws {
        try withExitCodes {
            let target = try Self.target(kernel: kernel, patch: kernelPatch)
            guard machine == "uml" || machine == "pc" else { throw BadInput("--machine: '\(machine)' is not uml or pc") }
            // --edges / --compaction / --pcp shape User-Mode Linux batches (they are defaults there);
            // the pc generator (ZonedCommandGenerator) has its own mix.
            guard machine == "uml" || (target.patch == nil && !pcp) else {
                throw BadInput("--machine pc: --kernel-patch and --pcp run on User-Mode Linux only")
            }
            if let mem {
                guard machine == "pc" else { throw BadInput("--mem: only with --machine pc (User-Mode Linux's size is fixed by the lockstep)") }
                guard mem.range(of: #"^[1-9][0-9]{0,5}[MG]$"#, options: .regularExpression) != nil else {
                    throw BadInput("--mem '\(mem)': want a size like 1536M")
                }
            }
            if let hotadd {
                guard machine == "pc" else { throw BadInput("--hotadd: only with --machine pc (User-Mode Linux has no memory hotplug)") }
                guard hotadd.range(of: #"^[1-9][0-9]{0,5}[MG]$"#, options: .regularExpression) != nil else {
                    throw BadInput("--hotadd '\(hotadd)': want a size like 256M")
                }
                guard movablecore == nil else { throw BadInput("--hotadd and --movablecore together: hot-added blocks would be onlined to Normal above Movable, which the simulator does not model") }
            }
            if let movablecore {
                guard machine == "pc" else { throw BadInput("--movablecore: only with --machine pc (User-Mode Linux has one zone)") }
                guard movablecore.range(of: #"^[1-9][0-9]{0,5}[MG]$"#, options: .regularExpression) != nil else {
                    throw BadInput("--movablecore '\(movablecore)': want a size like 512M")
                }
            }
            let kernel = target.series
            let variant = self.variant ?? Self.defaultVariant(kernel: kernel)
            guard let v = Variants.named(variant) else {
                throw BadInput("--variant: unknown variant '\(variant)' (buddylab variants lists them)")
            }
            if let calibration {
                guard random == nil, experiment == nil, fromLog == nil else { throw BadInput("--calibration runs its own cases: give no other input") }
                guard target.patch == nil else { throw BadInput("--calibration is for the base kernels: give no patch") }
                guard !pcp else { throw BadInput("--calibration runs with buddylab_nopcp: give no --pcp") }
                if machine == "pc" { try runCalibrationPC(to: calibration) } else { try runCalibration(to: calibration) }
                return
            }
            let inputs = [random != nil, experiment != nil, fromLog != nil, commands != nil].filter { $0 }.count
            guard inputs == 1 else { throw BadInput("give exactly one of --random N, EXP.yaml, --commands FILE or --from-log FILE") }
            if let n = random, !(1...Self.maxRandom).contains(n) {
                throw BadInput("--random: N must be 1…\(Self.maxRandom) (one kernel batch), not \(n)")
            }
            // Every output through the same rules as --report, before the kernel boots; none
            // may be an input (the log compared, the command file, the experiment).
            let inputPaths = [fromLog, commands, experiment].compactMap { $0 }
            let outputs = try Outputs(log: logOut, reproducer: reproducer, inputs: inputPaths)

            if let fromLog {
                guard target.patch == nil else { throw BadInput("--from-log compares a log already made: a patch would not be built or run") }
                guard !pcp else { throw BadInput("--pcp is a boot option: --from-log follows the log's own batch line (pcp=on|off)") }
                let text = try Self.readInput(fromLog, flag: "--from-log")
                let log: OracleLog
                do { log = try OracleLogParser.parse(text, file: fromLog) } catch { throw BadInput(String(describing: error)) }
                // The lockstep builds the log's zone as a machine: refuse one that does not fit.
                let budget = try MemoryBudget.resolve(maxMemory: nil)
                let need = log.initial.snapshot.spanned * EngineFootprint.bytesPerFrame
                guard need <= budget.bytes else {
                    throw BadInput("\(fromLog): the zone's \(log.initial.snapshot.spanned) pages need \(Experiment.gib(need)) "
                                   + "of engine state, \(Experiment.gib(budget.bytes)) available (\(budget.source))")
                }
                let started = Date()
                let outcome = Lockstep.run(log: log, variant: v)
                try finish(outcome, log: log, timing: nil, hostSeconds: Date().timeIntervalSince(started), outputs: outputs)
                return
            }
            let fixed = try commands.map(Self.readCommandFile)
            var script: ExperimentCommands?
            if let experiment {
                let e: Experiment
                do { e = try Experiment.load(contentsOf: experiment) } catch { throw BadInput(String(describing: error)) }
                do { script = try ExperimentCommands(e) } catch let p as OracleParseProblem { throw BadInput(p.message) } catch { throw error }
            }
            let (problems, _) = KernelTarget.checkApplies([target])
            guard problems.isEmpty else { throw BadInput(problems.joined(separator: "\n")) }
            let runner: OracleRunner
            do { runner = try target.runner() } catch {
                printError("the real kernel cannot run here: \(String(describing: error))"); throw Exit.internalError
            }
            var r = runner
            r.cma = cma
            if machine == "pc" { r.machine = "pc"; r.movablecore = movablecore; r.mem = mem; r.hotadd = hotadd }   // --cma: the kernel's `cma=SIZE` there (run-x86)
            r.pcp = pcp
            let meter = ProgressMeter.make("oracle \(kernel)", forced: progress, interval: 0)
            if let meter { r.onBuildLine = { meter.status($0, force: true) } }
            var session = OracleSession(runner: r, variant: v)
            if let meter { session.stage = { meter.status($0, force: true) } }
            defer { meter?.finish() }
            let report: OracleSession.Report
            do {
                if let fixed { report = try session.scripted(fixed) }
                else if let script { report = try session.probed { script.commands(against: $0) } }
                else { report = try session.random(count: random ?? 0, seed: seed, edges: edges, compaction: compaction) }
            } catch let failure as OracleSession.Failure {
                if case let .badLog(_, text) = failure, let target = outputs.log { try? target.write(text) }
                printError(failure.description); throw Exit.internalError
            }
            if let target = outputs.log { try target.write(report.logText) }
            try finish(report.outcome, log: report.log, timing: report, hostSeconds: report.hostSeconds, outputs: outputs,
                       target: target)
        }
    }

    /// `--kernel SERIES[+FILE]` and `--kernel-patch FILE` as one kernel (not both patch spellings).
    static func target(kernel: String, patch: String?) throws -> KernelTarget {
        let series = String(kernel.split(separator: "+", maxSplits: 1, omittingEmptySubsequences: false)[0])
        guard KernelTarget.series.contains(series) else {
            throw BadInput("--kernel: '\(series)' is not 6.1 or 6.12 (a patched kernel is SERIES+FILE, or --kernel-patch FILE)")
        }
        let t: KernelTarget
        do { t = try KernelTarget.parse(kernel, flag: "--kernel") } catch { throw BadInput(error.message) }
        guard let patch else { return t }
        guard t.patch == nil else { throw BadInput("--kernel-patch: --kernel \(kernel) names a patch already (one patch per lockstep run)") }
        do { return KernelTarget(series: t.series, patch: try KernelPatch.load(patch)) } catch { throw BadInput(error.message) }
    }

    /// The variant that claims the kernel series' semantics: `linux-6.1` for 6.1, `linux-6.12` for 6.12.
    static func defaultVariant(kernel: String) -> String { "linux-" + kernel }

    /// Largest `--random N`: one kernel batch (random batches of 10,010 commands are the largest
    /// run so far; the driver's log buffer is preallocated per batch).
    static let maxRandom = 100_000

    /// `--log` and `--reproducer` (plus `--reproducer`'s `.cmds` when it is a file), prepared
    /// by `OutputTarget` before anything runs.
    struct Outputs {
        var log: OutputTarget?
        var reproducer: OutputTarget?
        var commands: OutputTarget?

        init(log: String?, reproducer: String?, inputs: [String]) throws {
            self.log = try log.map { try OutputTarget.prepare($0, flag: "--log", inputs: inputs) }
            self.reproducer = try reproducer.map { try OutputTarget.prepare($0, flag: "--reproducer", inputs: inputs) }
            if let r = self.reproducer, case .file = r.destination {
                commands = try OutputTarget.prepare(r.path + ".cmds", flag: "--reproducer (.cmds)", inputs: inputs)
            }
            try OutputTarget.checkDistinct([self.log, self.reproducer, commands].compactMap { $0 })
        }
    }

    /// A driver command file (PROTOCOL.md; `#` comments), each bad line FILE:LINE:COLUMN.
    static func readCommandFile(_ commands: String) throws -> [OracleCommand] {
        let text = try readInput(commands, flag: "--commands")
        var list: [OracleCommand] = []
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.firstIndex(of: "#").map { raw[..<$0] } ?? raw
            guard !line.allSatisfy({ $0 == " " }) else { continue }
            let parsed: Result<OracleCommand, OracleParseProblem> = Result { () throws(OracleParseProblem) in try OracleCommand.parse(line) }
            switch parsed {
            case let .success(c): list.append(c)
            case let .failure(p):
                let column = p.token.map { raw.utf8.distance(from: raw.startIndex, to: $0.startIndex) + 1 } ?? 1
                throw BadInput("\(commands):\(i + 1):\(column): \(p.message)")
            }
        }
        guard !list.isEmpty else { throw BadInput("--commands: \(commands) holds no command") }
        return list
    }

    /// An input file read whole with the bounds of `BoundedFile` (regular file, ≤ 1 GiB).
    static func readInput(_ path: String, flag: String) throws -> String {
        switch BoundedFile.read(path: path) {
        case .success(let bytes): return String(decoding: bytes, as: UTF8.self)
        case .failure(let problem): throw BadInput("\(flag) \(path): \(problem)")
        }
    }

    func finish(_ o: LockstepOutcome, log: OracleLog, timing t: OracleSession.Report?, hostSeconds: Double,
                outputs: Outputs, target: KernelTarget? = nil) throws {
        let n = o.mismatch == nil ? 0 : 1
        let kernelName = machine == "pc" || log.zones.count > 1 ? "kernel \(o.kernel) (x86_64 pc, QEMU TCG; zones \(log.zones.map(\.name).joined(separator: " ")))"
            : target?.label(version: o.kernel) ?? "kernel \(o.kernel) (UML)"
        let kernelSpelling = target.map { "\($0)" } ?? kernel
        var out = "\(kernelName) vs \(o.variant): \(o.commandsCompared) commands, \(n) mismatch\(n == 1 ? "" : "es")"
        if let patch = target?.patch { out += "\npatch: \(patch.path) (sha256 \(patch.sha256))" }
        if o.foreignReplayed > 0 { out += ", \(o.foreignReplayed) foreign page events replayed" }
        out += "\n" + LockstepCoverage(log: log, commands: o.commandsCompared).line + "\n"
        if let build = t?.build { out += "kernel build: \(build)\n" }
        if t?.chosenAgainstState0 == true { out += "commands chosen against the kernel's own state 0 (one boot: the driver waited for them)\n" }
        if let s = o.stopped {
            out += "stopped before command \(s.step) of \(o.commandsInLog), not compared further: \(s.reason)\n"
        }
        if let t, o.commandsInLog > 0 {
            out += String(format: "time: choosing commands %.2f s, kernel %.2f s (boot, %d commands, snapshots, power-off), parse %.2f s, lockstep %.2f s; %.0f commands/s overall\n",
                          t.probeSeconds, t.kernelSeconds, o.commandsInLog, t.parseSeconds, t.hostSeconds,
                          Double(o.commandsInLog) / t.totalSeconds)
        }
        guard let m = o.mismatch else {
            Console.out(out); return
        }
        out += LockstepText.mismatch(m)
        let results = log.steps.prefix(m.commands.count).map { Optional($0.result) }
        let yaml = Reproducer.yaml(name: "oracle-mismatch", kernel: kernel, variant: o.variant, log: log,
                                   commands: m.commands, results: results, step: m.step)
        out += "\nreproducer (buddylab run accepts it; see its header for what it cannot express):\n" + yaml
        if let target = outputs.reproducer {
            try target.write(yaml)
            if let cmdsTarget = outputs.commands {
                let cmds = Reproducer.commandFile(m.commands, header: "commands 1..\(m.step) of a lockstep run that disagreed at command \(m.step): buddylab oracle --kernel \(kernelSpelling) --variant \(o.variant) --commands \(cmdsTarget.path)")
                try cmdsTarget.write(cmds)
                out += "\nwrote \(target.path) and \(cmdsTarget.path)\n"
            } else {
                out += "\nwrote \(target.path)\n"
            }
        }
        Console.out(out)
        throw Exit.expectationFailed
    }
}
