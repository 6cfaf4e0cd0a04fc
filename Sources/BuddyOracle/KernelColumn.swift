import BuddyCore
import BuddyExperiment
import BuddyVariants
import Crypto
import Foundation

/// One real-kernel column of `buddylab run --kernel K`: boot the oracle kernel once to see its
/// state (probe: one `drain`), map the experiment's runnable ops onto it (`KernelRunPlan`), run
/// them as one batch, and compute the column's metrics from the batch's log.
public struct KernelColumn: Sendable {
    /// A column's data.
    public struct Outcome: Sendable {
        /// The version the log reports, e.g. "6.1.192".
        public var version: String
        public var metrics: KernelRunMetrics
        /// How the experiment was mapped onto the kernel.
        public var notes: [String]
        public var notRun: [KernelRunPlan.NotRun]
        /// SHA-256 of the driver command batch (the column's "request stream").
        public var commandsSHA256: String
        public var commands: Int
    }

    /// Why a kernel gets no column: nothing of the experiment can run there (not an error),
    /// or the kernel could not be run (an error: `failed`).
    public struct NoColumn: Error, Sendable, CustomStringConvertible {
        public var reason: String
        public var failed: Bool
        public var description: String { reason }
        public init(reason: String, failed: Bool) { self.reason = reason; self.failed = failed }
    }

    public let series: String
    public let runner: OracleRunner

    public init(series: String, runner: OracleRunner) { self.series = series; self.runner = runner }

    /// The simulator variant whose model resolves named frees against the probe boot: the one
    /// claiming the kernel's semantics.
    public static func modelVariant(series: String) -> Variant? {
        Variants.named("linux-" + series) ?? Variants.named("linux-5.19")
    }

    /// Runs what `plan` can run on the kernel.
    /// `program`: the experiment's stream for the column's seed, when the plan runs its generated
    /// phases (`KernelRunPlan(_:program:)`): scripted ops whose preconditions differed are marked.
    public func run(_ experimentPlan: KernelRunPlan, program: Program? = nil) throws(NoColumn) -> Outcome {
        var plan = experimentPlan
        func none(_ why: String) -> NoColumn {
            NoColumn(reason: "nothing of the experiment can run on a real kernel: " + why, failed: false)
        }
        guard !plan.isEmpty else { throw none(plan.notRun.map(\.description).joined(separator: "; ")) }
        let (probe, build) = try boot([.drain])
        if let problem = plan.geometryProblem(kernel: probe.geometry) { plan.dropAll(reason: problem) }
        plan.resolveHotplug(kernelBlockPages: probe.memoryBlockPages)
        var notes: [String] = []
        let zone = probe.initial.snapshot
        if probe.zones.count > 1 {
            notes.append("Kernel \(probe.kernel) zones " + zip(probe.zones, probe.initial.zones).map { z, s in
                "\(z.name) [\(hexString(s.startPfn)), \(hexString(s.startPfn + s.spanned))) NR_FREE_PAGES \(s.nrFreePages)"
            }.joined(separator: ", ") + " at boot: state metrics are summed over every zone.")
        }
        if plan.hasHotplug, let bp = probe.memoryBlockPages {
            notes.append("Memory block b of the experiment is the kernel's memory block b (sysfs memoryb, pfns [b × \(bp), (b + 1) × \(bp))), "
                         + "taken offline and online by the driver (device_offline / device_online); which zone it lies in and what the booted kernel keeps there is the kernel's own layout.")
        }
        if probe.zones.count <= 1 { notes.append("Kernel \(probe.kernel), zone \(probe.zoneName) [\(hexString(zone.startPfn)), \(hexString(zone.startPfn + zone.spanned))), "
                     + "\(zone.managed) managed pages, NR_FREE_PAGES \(zone.nrFreePages) at boot: state metrics are over this whole zone "
                     + "(the booted kernel's own allocations included), not over the experiment's machine.") }
        if let build { notes.append("Oracle kernel build: \(build) (Debian source version, then the hashes of our patches and config).") }
        var offset = 0
        var window: Range<Int>?
        if plan.needsWindow {
            if let base = KernelRunPlan.window(pages: plan.span.count, in: zone, geometry: probe.geometry) {
                offset = base - plan.span.lowerBound
                window = base..<(base + plan.span.count)
                notes.append("Ops at a pfn are relocated to a window of the kernel's zone that is free at boot (whole free max-order blocks, not CMA): "
                             + "experiment pfn \(hexString(plan.span.lowerBound)) is kernel pfn \(hexString(base)) "
                             + "(window [\(hexString(base)), \(hexString(base + plan.span.count))), offset +\(hexString(offset))).")
            } else {
                plan.dropPfnOps(reason: "no window of \(plan.span.count) pages made of free max-order blocks in the kernel's zone at boot")
            }
        }
        guard !plan.isEmpty else { throw none(plan.notRun.map(\.description).joined(separator: "; ")) }
        notes.append("Allocations without a pfn land where the kernel's allocator puts them (the driver cannot choose); the op's detail gives the pfn.")
        guard let variant = Self.modelVariant(series: series) else {
            throw NoColumn(reason: "no simulator variant to model kernel \(series)'s state", failed: true)
        }
        let model: any KernelModel
        do { model = try makeKernelModel(variant: variant, log: probe) } catch {
            throw NoColumn(reason: "kernel \(series): the probe boot's state cannot be imported: \(error.message)", failed: true)
        }
        let (planned, skipped) = plan.commands(offset: offset, against: model)
        let log = planned.isEmpty ? probe : try boot(planned.map(\.command)).log
        let b = log.initial.snapshot
        guard b.startPfn == zone.startPfn, b.spanned == zone.spanned else {
            throw NoColumn(reason: "kernel \(series): the zone moved between the probe boot and the batch boot", failed: true)
        }
        let text = planned.map { $0.command.text + "\n" }.joined()
        let digest = SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
        var metrics: KernelRunMetrics
        do {
            metrics = try KernelRunMetrics(log: log, commands: planned, skippedFrees: skipped) { plan.keyword(ofOp: $0) ?? "op" }
        } catch { throw NoColumn(reason: "kernel \(series): \(error)", failed: true) }
        if plan.generatedEvents > 0, let program {
            notes.append("The generated phases ran on the kernel: \(plan.generatedEvents) driver commands of the seeded request stream "
                         + "(allocations by order, type and gfp words; frees of the requests that succeeded on the kernel; contig attempts relocated as above).")
            let marked = KernelPreconditions.mark(&metrics, planned: planned, log: log, program: program, variant: variant)
            if marked > 0 {
                notes.append("\(marked) op result(s) in parentheses: their preconditions differed — an earlier allocation request succeeded on the kernel and failed in \(variant.id) on the experiment's machine, or the reverse — so they are not comparable side by side.")
            }
        }
        if let window {
            for (p, step) in zip(planned, log.steps) {
                guard let index = p.resultOf, case .alloc = p.command, let pfn = step.result.pfn, !window.contains(pfn) else { continue }
                notes.append("Op \(index) (alloc) landed at kernel pfn \(hexString(pfn)), outside the window: the ops at a pfn do not see that page, "
                             + "whereas on the simulated machine every page lies inside the machine.")
            }
        }
        return Outcome(version: log.kernel, metrics: metrics, notes: notes, notRun: plan.notRun,
                       commandsSHA256: digest, commands: planned.count)
    }

    func boot(_ commands: [OracleCommand]) throws(NoColumn) -> (log: OracleLog, build: String?) {
        let out: (log: String, seconds: Double, build: String?)
        do { out = try runner.run(commands) } catch {
            throw NoColumn(reason: "kernel \(series) cannot run here: \(error.reason)", failed: true)
        }
        do { return (try OracleLogParser.parse(out.log, file: "kernel-\(series).log"), out.build) } catch {
            throw NoColumn(reason: "kernel \(series): its log breaks the protocol: \(error)", failed: true)
        }
    }
}
