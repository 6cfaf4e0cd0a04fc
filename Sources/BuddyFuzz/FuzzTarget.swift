import BuddyCore
import BuddyExperiment
import BuddyOracle
import BuddyTrace
import BuddyVariants
import BuddyYAML

/// The fuzz targets: each is one function over bytes that reaches one input format's parser
/// without the command line (issue 19). For any input a target either accepts it or refuses it
/// with an error located at line ≥ 1 of the named file; a trap, a hang or an unlocated error is
/// a finding (the located-error check is a `precondition`, so libFuzzer reports it as a crash).
///
/// `buddyfuzz TARGET` runs one under libFuzzer (`make fuzz`); `FuzzCorpusTests` replays the
/// committed corpus (`fuzz/corpus/TARGET/`) and every past finding through the same functions.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// kmem trace text through `LineReader` and `TraceLineParser` (line cap, NUL/CR, ranges).
    case traceLine = "trace-line"
    /// `/proc/zoneinfo`, `/proc/pagetypeinfo`, `/proc/buddyinfo` (split at lines `@@`) through
    /// the readers and the state planner, on machines up to `procMaxPages` pages.
    case proc
    /// An oracle log through `OracleLogParser`, then (zones up to `oracleMaxPages` pages) the
    /// lockstep against `linux-6.1` (Machine+Import, SimulatedKernel); every line also as a
    /// driver command (`OracleCommand.parse`, the `--commands` file format).
    case oracleLog = "oracle-log"
    /// An experiment file (YAML) through `Experiment.decodePoints` (schema, sweeps, limits).
    case experimentYAML = "experiment-yaml"

    /// What a target made of one input.
    public enum Outcome: Equatable, Sendable {
        case accepted
        /// Refused with this located message.
        case refused(String)
    }

    /// Bounds that keep one fuzz input fast: the planner and the lockstep allocate per page.
    public static let procMaxPages = 1 << 16
    public static let oracleMaxPages = 1 << 13

    public func run(_ data: [UInt8]) -> Outcome {
        switch self {
        case .traceLine: Self.trace(data)
        case .proc: Self.proc(data)
        case .oracleLog: Self.oracleLog(data)
        case .experimentYAML: Self.experiment(data)
        }
    }

    static func located(_ line: Int, _ message: String) -> Outcome {
        precondition(line >= 1, "unlocated error: \(message)")
        return .refused(message)
    }

    static func trace(_ data: [UInt8]) -> Outcome {
        do {
            try TraceReader.forEachRecord(reader: LineReader(name: "fuzz.trace", bytes: data), name: "fuzz.trace") { r in
                // What the parser promises past its boundary (InputBounds).
                precondition(r.pfn >= -1 && r.pfn < 1 << 52 && (0...15).contains(r.order), "out-of-range record \(r)")
            }
            return .accepted
        } catch let e as TraceError {
            return located(e.line, e.description)
        } catch {
            preconditionFailure("unexpected error \(error)")
        }
    }

    static func proc(_ data: [UInt8]) -> Outcome {
        let text = String(decoding: data, as: UTF8.self)
        let parts = text.split(separator: "\n@@\n", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return .refused("not three parts") }
        do {
            _ = try ProcImport.read(zoneinfo: ("zoneinfo", String(parts[0])), pagetypeinfo: ("pagetypeinfo", String(parts[1])),
                                    buddyinfo: ("buddyinfo", String(parts[2])), geometry: .x86_64, memoryBlockPages: nil,
                                    maxPages: procMaxPages)
            return .accepted
        } catch {
            return located(error.line, error.description)
        }
    }

    static func oracleLog(_ data: [UInt8]) -> Outcome {
        let text = String(decoding: data, as: UTF8.self)
        for line in text.split(separator: "\n") { _ = try? OracleCommand.parse(line) }
        do {
            let log = try OracleLogParser.parse(text, file: "fuzz.log")
            if log.initial.snapshot.spanned <= oracleMaxPages, let v = Variants.named("linux-6.1") {
                _ = Lockstep.run(log: log, variant: v)
            }
            return .accepted
        } catch {
            return located(error.line, error.description)
        }
    }

    static func experiment(_ data: [UInt8]) -> Outcome {
        // Relative trace and /proc paths resolve into a directory that does not exist.
        do {
            _ = try Experiment.decodePoints(bytes: data, file: "/nonexistent-buddyfuzz/fuzz.yaml")
            return .accepted
        } catch {
            return located(error.line, error.description)
        }
    }
}
