/// The tag of a run made on a real kernel (`buddylab run --kernel`), not on a simulated variant.
///
/// Such a run's `metrics` hold only what the kernel's log determines (a missing name means
/// "not measured on a real kernel", never 0); its `workload_sha256` is the hash of the driver
/// command batch, so it differs from the simulated variants' request stream by design. Real-kernel
/// runs go to the `--json` document and the report, never to the results store.
public struct RealKernelRun: Codable, Sendable, Equatable {
    /// The `--kernel` series asked for, e.g. "6.1".
    public var series: String
    /// The version the kernel's log reports, e.g. "6.1.192".
    public var version: String
    /// How the experiment was mapped onto the kernel (window, zone), one sentence each.
    public var notes: [String]
    /// Phases and ops not run on the kernel, each "what (reason)".
    public var notRun: [String]
    /// The user's patch built into this kernel (`--kernel-patch`), nil for the base kernel.
    /// Written by `RunResult` as the `kernel_runs` entry's own `patch` key (contract:
    /// `kernel_runs[].patch`, `null` for the base kernel), not inside `kernel`.
    public var patch: Patch? = nil

    /// A patch as the JSON names it: the path given and the SHA-256 of its bytes.
    public struct Patch: Codable, Sendable, Equatable {
        public var file: String
        public var sha256: String
        public init(file: String, sha256: String) { self.file = file; self.sha256 = sha256 }
    }

    public init(series: String, version: String, notes: [String], notRun: [String], patch: Patch? = nil) {
        self.series = series; self.version = version; self.notes = notes; self.notRun = notRun; self.patch = patch
    }

    enum CodingKeys: String, CodingKey {
        case series, version, notes
        case notRun = "not_run"
    }
}
