// Trace replay throughput: parse only, then a full replay (the decode pass — the one parse:
// checks, request matching, ops written to the spill — then the streamed program — the spill
// read back + workload hash on a producer thread — consumed by the simulation of one variant),
// for a kmem trace file in any supported layout/compression.
//
//   swift run -c release tracebench TRACE [--variant ID] [--ram-start-pfn N] [--gib N] [--whole] [--no-parse-only]
//
// The machine is one Normal zone of --gib GiB (default 16) from --ram-start-pfn (default
// 0x100000); the trace is replayed in `requests` mode. `--whole` builds the whole program in
// memory first (the pre-issue-25 path, for comparison); `--no-parse-only` skips the first pass.
import BuddyCore
import BuddyExperiment
import BuddyTrace
import BuddyVariants
import Foundation

let usage = "usage: tracebench TRACE [--variant ID] [--ram-start-pfn N] [--gib N] [--whole] [--no-parse-only]\n"
var args = Array(CommandLine.arguments.dropFirst())
// `--help`/`-h` print the usage (exit 0) instead of being taken for a trace file name.
if args.contains(where: { $0 == "--help" || $0 == "-h" }) {
    print(usage, terminator: "")
    exit(0)
}
@MainActor func option(_ name: String) -> String? {
    guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
    defer { args.removeSubrange(i...(i + 1)) }
    return args[i + 1]
}
@MainActor func flag(_ name: String) -> Bool {
    guard let i = args.firstIndex(of: name) else { return false }
    args.remove(at: i)
    return true
}
let whole = flag("--whole")
let parseOnly = !flag("--no-parse-only")
let variantID = option("--variant") ?? "linux-5.19"
let ramStart = option("--ram-start-pfn").flatMap { Int($0.hasPrefix("0x") ? String($0.dropFirst(2)) : $0, radix: $0.hasPrefix("0x") ? 16 : 10) } ?? 0x100000
let gib = option("--gib").flatMap(Int.init) ?? 16
guard args.count == 1, let path = args.first, !path.hasPrefix("-") else {
    FileHandle.standardError.write(Data(("tracebench: expected one trace file, got \(args)\n" + usage).utf8))
    exit(2)
}
guard let variant = Variants.named(variantID) else {
    FileHandle.standardError.write(Data(("tracebench: unknown variant \(variantID)\n" + usage).utf8))
    exit(2)
}
guard FileManager.default.isReadableFile(atPath: path) else {
    FileHandle.standardError.write(Data("tracebench: \(path): not found or not readable\n".utf8))
    exit(2)
}
// A pipe (`… | tracebench /dev/stdin`) can be read once: the parse-only pass would leave the
// replay an empty trace.
var status = stat()
if parseOnly, stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFIFO {
    FileHandle.standardError.write(Data("tracebench: \(path) is a pipe, read once: give --no-parse-only\n".utf8))
    exit(2)
}
func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
func rate(_ n: Int, _ s: Double) -> String { String(format: "%.2f M events/s (%.2f s)", Double(n) / s / 1e6, s) }

let clock = ContinuousClock()
var t = clock.now
var records = 0
var parse = 0.0
if parseOnly {
    let stats: TraceStats
    do { stats = try TraceReader.forEachRecord(path: path) { _ in records += 1 } } catch {
        // A malformed trace is bad input (exit 2 with its file:line), not a crash.
        FileHandle.standardError.write(Data("tracebench: \(error)\n".utf8))
        exit(2)
    }
    parse = seconds(clock.now - t)
    print("parse only: \(records) kmem records of \(stats.lines) lines: \(rate(records, parse))")
}

let absolute = URL(fileURLWithPath: path).path
let yaml = """
    schema: 1
    name: tracebench
    machine:
      ram_start: "pfn:\(ramStart)"
      zones:
        - { name: Normal, size: \(gib)GiB }
    variants: [\(variantID)]
    workload:
      - trace: { file: "\(absolute)", mode: requests }
    """
t = clock.now
let experiment: Experiment
do { experiment = try Experiment.decode(yaml: yaml, file: "tracebench.yaml") } catch {
    FileHandle.standardError.write(Data("tracebench: \(error)\n".utf8))
    exit(2)
}
let decode = seconds(clock.now - t)
if case .trace(let phase)? = experiment.workload.first {
    records = phase.stats.totalEvents
    print("decode pass (the one parse + checks + request matching + spill, holds the live pages only): \(String(format: "%.2f", decode)) s, "
          + "\(phase.summary.events) engine events, at most \(phase.summary.peakLive) live pages matched at once")
}
t = clock.now
// The whole program (`--whole`), or a stream whose every chunk is produced on its own thread.
let workload = whole ? WorkloadGenerator.generate(experiment, seed: 1)
    : WorkloadGenerator.generate(experiment, seed: 1, streamingFrom: 0)
let generate = seconds(clock.now - t)
t = clock.now
let raw = variant.run(workload.program, RunOptions(checkEvery: 0))
let hash = workload.sha256
let simulate = seconds(clock.now - t)
let events = workload.program.eventCount
if whole {
    print("generate (spill read + workload hash): \(String(format: "%.2f", generate)) s, \(events) engine events")
    print("simulate (\(variantID)): \(rate(events, simulate)); allocs \(raw.metrics["allocs"] ?? 0), frees \(raw.metrics["frees"] ?? 0)")
} else {
    print("stream (spill read + workload hash on one thread, simulation of \(variantID) on another, "
          + "\(TraceEventSource.defaultChunkSize)-event chunks): \(rate(events, generate + simulate)); "
          + "allocs \(raw.metrics["allocs"] ?? 0), frees \(raw.metrics["frees"] ?? 0)")
}
print("workload_sha256: \(hash)")
let total = decode + generate + simulate
print("replay total: \(records) kmem records in \(String(format: "%.2f", total)) s = "
      + rate(records, total) + (parseOnly ? " (parse + simulate: " + rate(records, parse + simulate) + ")" : ""))
