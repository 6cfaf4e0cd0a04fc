import BuddyCore
import BuddyVariants
import Foundation

/// One lockstep session against the real kernel: generate or take commands, run them on the
/// kernel through `OracleRunner`, compare every state with the simulator variant.
public struct OracleSession {
    public var runner: OracleRunner
    public let variant: Variant

    /// Told each stage as it starts (probe boot, generation, kernel batch, parse, comparison):
    /// the CLI's progress line. Nil: silent.
    public var stage: ((String) -> Void)? = nil

    public init(runner: OracleRunner, variant: Variant) { self.runner = runner; self.variant = variant }

    /// What a session did and how long each part took.
    public struct Report {
        public var log: OracleLog
        public var logText: String
        public var outcome: LockstepOutcome
        /// The batch's `run`: boot, commands, snapshots, power-off.
        public var kernelSeconds: Double
        /// Choosing the commands against state 0 while the kernel waits (0 for given commands).
        public var probeSeconds: Double
        /// Parsing the batch's log.
        public var parseSeconds: Double
        /// The lockstep comparison itself.
        public var hostSeconds: Double
        public var totalSeconds: Double { kernelSeconds + probeSeconds + parseSeconds + hostSeconds }
        /// The kernel build the batch ran on (`OracleRunner.run`), e.g. `linux-6.1.192-3-…-…`.
        public var build: String? = nil
        /// True when the commands were chosen against the batch's own state 0 (one boot, an
        /// interactive batch), so boundary probes land exactly on their marks.
        public var chosenAgainstState0 = false
    }

    public enum Failure: Error, CustomStringConvertible {
        /// The kernel could not run; `skippable` as in `OracleRunner.Unavailable`.
        case unavailable(String, skippable: Bool)
        case badLog(OracleLogError, logText: String)
        case badImport(String)
        public var description: String {
            switch self {
            case let .unavailable(r, _): "the real kernel cannot run here: \(r)"
            case let .badLog(e, _): "the kernel's log breaks the protocol: \(e)"
            case let .badImport(r): "the kernel's state cannot be imported: \(r)"
            }
        }
    }

    /// `count` seeded random commands chosen against the kernel's state 0 (`probed`), run and
    /// compared command by command.
    /// `edges`: the near-OOM cycle of `CommandGenerator.edges` (the routine one).
    public func random(count: Int, seed: UInt64, edges: Bool = true, compaction: Bool = true) throws(Failure) -> Report {
        var session = self
        if count >= OracleRunner.defaultHandles { session.runner.handles = count }
        if runner.machine != nil {   // x86_64: the offline/online mix (ZonedCommandGenerator)
            return try session.probedTwoBoots { model in
                var generator = ZonedCommandGenerator(seed: seed)
                generator.base.edges = edges
                generator.base.compaction = compaction
                return generator.generate(count: count, against: model)
            }
        }
        return try session.probed { model in
            var generator = CommandGenerator(seed: seed)
            generator.edges = edges
            generator.compaction = compaction
            return generator.generate(count: count, against: model)
        }
    }

    /// Commands made against a model of the kernel's state 0, in one boot (an interactive batch,
    /// `OracleRunner.runInteractive`): the driver logs state 0 and waits while `make` chooses the
    /// commands against exactly that state; then they run and are compared.
    public func probed(_ make: (any KernelModel) -> [OracleCommand]) throws(Failure) -> Report {
        if runner.machine != nil { return try probedTwoBoots(make) }   // x86_64: no interactive batch
        stage?("boot of the \(runner.kernel) kernel: state 0, then commands chosen against it")
        var failure: Failure?
        var chooseSeconds = 0.0
        let out: (log: String, seconds: Double, build: String?, commands: [OracleCommand])
        do throws(OracleRunner.Unavailable) {
            out = try runner.runInteractive { (prefix: String) throws(OracleRunner.Unavailable) -> [OracleCommand] in
                let started = Date()
                let log: OracleLog
                do throws(OracleLogError) { log = try OracleLogParser.parse(prefix + "done\n", file: "kernel-\(runner.kernel).log (state 0)") } catch {
                    failure = .badLog(error, logText: prefix)
                    throw OracleRunner.Unavailable(reason: "state 0 breaks the protocol")
                }
                let model: any KernelModel
                do throws(ImportError) { model = try makeKernelModel(variant: variant, log: log) } catch {
                    failure = .badImport(error.message)
                    throw OracleRunner.Unavailable(reason: "state 0 cannot be imported")
                }
                stage?("choosing commands against the kernel's state 0")
                let commands = make(model)
                chooseSeconds = Date().timeIntervalSince(started)
                stage?("kernel batch of \(commands.count) commands")
                return commands
            }
        } catch {
            throw failure ?? .unavailable(error.reason, skippable: error.skippable)
        }
        let parseStart = Date()
        stage?("parsing the kernel's log (\(out.log.utf8.count / 1_048_576) MiB)")
        let log: OracleLog
        do { log = try OracleLogParser.parse(out.log, file: "kernel-\(runner.kernel).log") } catch {
            throw .badLog(error, logText: out.log)
        }
        let parseSeconds = Date().timeIntervalSince(parseStart)
        stage?("lockstep: \(variant.id) against \(log.steps.count) kernel states")
        let hostStart = Date()
        let outcome = Lockstep.run(log: log, variant: variant)
        var report = Report(log: log, logText: out.log, outcome: outcome, kernelSeconds: out.seconds - chooseSeconds,
                            probeSeconds: chooseSeconds, parseSeconds: parseSeconds,
                            hostSeconds: Date().timeIntervalSince(hostStart), build: out.build)
        report.chosenAgainstState0 = true
        return report
    }

    /// Runs `commands` on the kernel and compares.
    public func scripted(_ commands: [OracleCommand]) throws(Failure) -> Report {
        stage?("kernel batch of \(commands.count) commands (boot, run, power-off)")
        let k = try runKernel(commands)
        stage?("lockstep: \(variant.id) against \(k.log.steps.count) kernel states")
        let hostStart = Date()
        let outcome = Lockstep.run(log: k.log, variant: variant)
        return Report(log: k.log, logText: k.text, outcome: outcome, kernelSeconds: k.seconds, probeSeconds: 0,
                      parseSeconds: k.parseSeconds, hostSeconds: Date().timeIntervalSince(hostStart), build: k.build)
    }

    func runKernel(_ commands: [OracleCommand]) throws(Failure) -> (log: OracleLog, text: String, seconds: Double, parseSeconds: Double, build: String?) {
        let out: (log: String, seconds: Double, build: String?)
        do { out = try runner.run(commands) } catch { throw .unavailable(error.reason, skippable: error.skippable) }
        let started = Date()
        stage?("parsing the kernel's log (\(out.log.utf8.count / 1_048_576) MiB)")
        do {
            let log = try OracleLogParser.parse(out.log, file: "kernel-\(runner.kernel).log")
            return (log, out.log, out.seconds, Date().timeIntervalSince(started), out.build)
        } catch { throw .badLog(error, logText: out.log) }
    }
}

/// Text renderings of a lockstep outcome (kernel terms: pfn, order, list, counter).
public enum LockstepText {
    public static func mismatch(_ m: LockstepMismatch) -> String {
        var s = m.step == 0 ? "mismatch in the imported state 0 (before any command):\n"
                            : "mismatch after command \(m.step): \(m.command?.text ?? "?")\n"
        for e in m.foreign { s += "  replayed meanwhile: \(e)\n" }
        var pageblocks = 0
        for d in m.differences {
            switch d.kind {
            case .freeList:
                s += "  \(d.what)\n    kernel:    \(d.kernel)\n    simulator: \(d.simulator)\n"
            case .pageblock:
                pageblocks += 1
                if pageblocks <= 16 { s += "  \(d.description)\n" }
            default:
                s += "  \(d.description)\n"
            }
        }
        if pageblocks > 16 { s += "  … and \(pageblocks - 16) more pageblocks differ\n" }
        return s
    }
}
