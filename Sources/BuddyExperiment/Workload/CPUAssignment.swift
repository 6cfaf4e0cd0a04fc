import BuddyCore

/// Which CPU each allocation and free runs on (`machine: { cpus: N }`).
///
/// A second SplitMix64 stream, seeded from the seed alone, picks a CPU uniformly for every
/// generated alloc and free (fill, churn) in event order, after the phases are expanded: the
/// operations themselves are the same as on a one-CPU machine (the main stream never sees this
/// one), and every variant runs the same (op, CPU) sequence. Scripted ops keep the CPU their
/// `cpu:` names (default 0). One CPU: nothing is drawn, every event runs on CPU 0.
enum CPUAssignment {
    /// Mixed into the seed so this stream never coincides with the operation stream.
    static let streamSalt: UInt64 = 0x7063_7075_5f63_7075   // "pcpu_cpu"

    static func assign(_ events: inout [ProgramEvent], cpus: Int, seed: UInt64) {
        guard cpus > 1 else { return }
        var stream = Stream(cpus: cpus, seed: seed)
        for k in events.indices { stream.assign(&events[k]) }
    }

    /// The draws one event at a time, for a program produced in chunks (`TraceEventSource`):
    /// the same sequence as `assign` over the whole program.
    struct Stream {
        private var rng: SplitMix64
        private let cpus: Int
        init(cpus: Int, seed: UInt64) {
            self.cpus = cpus
            rng = SplitMix64(seed: seed ^ CPUAssignment.streamSalt)
        }
        mutating func assign(_ event: inout ProgramEvent) {
            guard event.script < 0 else { return }
            switch event.op {
            case .alloc, .allocAt, .free:
                event.cpu = UInt8(truncatingIfNeeded: rng.below(UInt64(cpus)))
            default:
                break
            }
        }
    }
}
