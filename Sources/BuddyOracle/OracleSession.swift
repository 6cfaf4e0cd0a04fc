import BuddyCore
import BuddyVariants
import Foundation

/// One lockstep session against the real kernel: generate or take commands, run them on the
/// kernel through `OracleRunner`, compare every state with the simulator variant.
public struct OracleSession {
    public let runner: OracleRunner
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
        /// Probe boot and command generation (0 without a probe).
        public var probeSeconds: Double
        /// Parsing the batch's log.
        public var parseSeconds: Double
        /// The lockstep comparison itself.
        public var hostSeconds: Double
        public var totalSeconds: Double { kernelSeconds + probeSeconds + parseSeconds + hostSeconds }
        /// The kernel build the batch ran on (`OracleRunner.run`), e.g. `linux-6.1.192-3-…-…`.
        public var build: String? = nil
    }

    public enum Failure: Error, CustomStringConvertible {
        /// The kernel could not run; `skippable` as in `OracleRunner.Unavailable`.
        case unavailable(String, skippable: Bool)
        case badLog(OracleLogError, logText: String)
        case badImport(String)
        /// The two boots of a probed session had different zones (UML under ASLR).
        case layoutChanged(String)
        public var description: String {
            switch self {
            case let .unavailable(r, _): "the real kernel cannot run here: \(r)"
            case let .badLog(e, _): "the kernel's log breaks the protocol: \(e)"
            case let .badImport(r): "the kernel's state cannot be imported: \(r)"
            case let .layoutChanged(r): "the kernel's memory layout changed between boots: \(r)"
            }
        }
    }

    /// `count` seeded random commands: a probe boot (one `drain`) gives the state the generator
    /// chooses valid commands against; then the batch runs and is compared command by command.
    /// `edges`: the near-OOM cycle of `CommandGenerator.edges`.
    public func random(count: Int, seed: UInt64, edges: Bool = false) throws(Failure) -> Report {
        try probed { model in
            var generator = CommandGenerator(seed: seed)
            generator.edges = edges
            return generator.generate(count: count, against: model)
        }
    }

    /// Commands made against a model of the kernel's booted state (a probe boot running one
    /// `drain`), then run and compared. The probe's state and the batch's state 0 come from two
    /// boots; the comparison itself always starts from the batch's own state 0.
    public func probed(_ make: (any KernelModel) -> [OracleCommand]) throws(Failure) -> Report {
        let probeStart = Date()
        stage?("probe boot of the \(runner.kernel) kernel")
        let probe = try runKernel([.drain])
        let model: any KernelModel
        do { model = try makeKernelModel(variant: variant, log: probe.log) } catch { throw .badImport(error.message) }
        stage?("choosing commands against the probe's state")
        let commands = make(model)
        let probeSeconds = Date().timeIntervalSince(probeStart)
        var report = try scripted(commands)
        report.probeSeconds = probeSeconds
        let a = probe.log.initial.snapshot, b = report.log.initial.snapshot
        if a.startPfn != b.startPfn || a.spanned != b.spanned {
            throw .layoutChanged("the probe boot's zone was [\(hexString(a.startPfn)), \(hexString(a.startPfn + a.spanned))), the batch boot's [\(hexString(b.startPfn)), \(hexString(b.startPfn + b.spanned))): commands chosen on one boot do not fit the other (boot User-Mode Linux without address-space randomisation: setarch -R)")
        }
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
