import BuddyCore
import BuddyExperiment

/// Memory hotplug in the real-kernel column (x86_64 pc only: User-Mode Linux has no SPARSEMEM
/// hotplug). The experiment's memory block `b` is the kernel's memory block `b` — sysfs
/// `memoryb`, pfns [b × N, (b + 1) × N) — when both have the same block size N: `offline` and
/// `online` ops, and `offline:` / `online:` phases, also inside `repeat:` (unrolled, as the
/// simulation expands them), run as the driver's `offline PFN N` / `online PFN N`
/// (`device_offline` / `device_online`). The mapping is by number, not by role: which zone that
/// block is in, and what the booted kernel keeps there, is the kernel's own layout (the report's
/// notes name it).
extension KernelRunPlan {
    /// The hotplug steps of a phase made only of `offline:` / `online:` (nested in `repeat:`),
    /// in order; nil when the phase has anything else.
    static func hotplugSteps(_ phase: WorkloadPhase) -> [(block: Int, online: Bool)]? {
        switch phase {
        case let .offline(blocks): return blocks.map { ($0, false) }
        case let .online(blocks): return blocks.map { ($0, true) }
        case let .repeatSteps(times, steps):
            var one: [(block: Int, online: Bool)] = []
            for s in steps {
                guard let inner = hotplugSteps(s) else { return nil }
                one += inner
            }
            return Array((0..<max(times, 0)).map { _ in one }.joined())
        default: return nil
        }
    }

    /// Whether any planned step is an offline/online.
    public var hasHotplug: Bool { ops.contains { if case .hotplug = $0.step { return true }; return false } }

    /// Takes the kernel's memory block size (`memory_block` of its log; nil: the kernel has no
    /// memory hotplug). A size other than the experiment's drops every hotplug step, with the
    /// reason, as a missing one does.
    public mutating func resolveHotplug(kernelBlockPages: Int?) {
        guard hasHotplug else { return }
        let why: String
        if let k = kernelBlockPages, k == experimentBlockPages { self.kernelBlockPages = k; return }
        else if let k = kernelBlockPages {
            why = "the experiment's memory block is \(experimentBlockPages) pages, the kernel's \(k): block numbers do not map"
        } else {
            why = "the kernel's log names no memory block size (no memory hotplug)"
        }
        var seen = Set<String>()
        for op in ops {
            guard case .hotplug = op.step, seen.insert(op.what).inserted else { continue }
            notRun.append(NotRun(what: op.what, reason: why))
        }
        ops.removeAll { if case .hotplug = $0.step { return true }; return false }
    }
}
