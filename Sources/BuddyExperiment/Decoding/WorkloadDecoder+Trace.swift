import BuddyCore
import BuddyTrace
import BuddyYAML
import Foundation

/// `trace: { file: traces/NAME.txt[.gz|.zst], mode: requests | pfn, migratetypes: v4.4 | pre-v4.4, gfp: false | true }`.
extension WorkloadDecoder {
    func decodeTrace(_ value: YAMLNode, _ ctx: String) throws(YAMLDecodeError) -> (WorkloadPhase, Int) {
        let m = try reader.mapping(value, context: ctx).allowing(["file", "mode", "migratetypes", "gfp"])
        let fileNode = try m.required("file")
        let file = try reader.string(fileNode)
        var mode = TracePhase.Mode.requests
        if let n = m.optional("mode") {
            mode = TracePhase.Mode(rawValue: try reader.choice(n, from: TracePhase.Mode.allCases.map(\.rawValue),
                                                               what: "trace mode")) ?? .requests
        }
        var numbering = MigratetypeNumbering.v4_4
        if let n = m.optional("migratetypes") {
            numbering = MigratetypeNumbering(rawValue: try reader.choice(
                n, from: MigratetypeNumbering.allCases.map(\.rawValue), what: "migratetype numbering")) ?? .v4_4
        }
        guard !file.isEmpty else { throw reader.error("trace file is empty: name a trace file", at: fileNode) }
        // `gfp: true`: each request carries its `gfp_flags=` mask (opt-in, so the traces'
        // stored results and hashes, made without masks, stay valid).
        var useGFP = false
        if let n = m.optional("gfp") { useGFP = try reader.bool(n) }
        let path = Self.resolve(file, against: reader.file)
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw reader.error("trace file \(file) not found or not readable (looked at \(path))", at: fileNode)
        }
        // The decode pass: every line parsed, every record checked against the machine — once
        // per file, max order and numbering, however many sweep points share the trace.
        let maxOrder = layout.geometry.maxOrder
        let servePreCapture = machine.procImport != nil
        let key = TraceDecodeCache.Key(path: path, maxOrder: maxOrder, numbering: numbering, useGFP: useGFP,
                                       mode: mode, servePreCapture: servePreCapture)
        var phase = TracePhase(file: file, path: path, mode: mode, numbering: numbering, stats: TraceStats())
        phase.useGFP = useGFP
        let (stats, bound, summary) = try traces.result(for: key) { () throws(YAMLDecodeError) in
            // A pipe (`/dev/stdin`, a FIFO) gives its text once: a second reader would see it
            // end at once (stdin) or wait for a new writer (a FIFO), never the same trace.
            // A pipe that failed (no writer, a bad line) fails the same way when decoded again.
            // Loaded beside other files (`ExperimentFiles`): pipes are read in the files' order.
            if PipeClaims.isPipe(path) && !LoadOrder.mayReadPipe() {
                throw reader.error("trace \(file) is a pipe, not read: an earlier experiment file failed", at: fileNode)
            }
            if let failed = PipeClaims.shared.failure(path) { throw failed }
            if let earlier = PipeClaims.shared.claim(path, by: reader.file) {
                throw reader.error("trace \(file) is a pipe already read for \(earlier): a pipe's text is read once; "
                                   + "name it in one trace: phase of one experiment", at: fileNode)
            }
            do throws(YAMLDecodeError) {
                return try Self.readTrace(phase, maxOrder: maxOrder, servePreCapture: servePreCapture,
                                          fileNode: fileNode, reader: reader, limit: limits.streamed)
            } catch {
                PipeClaims.shared.recordFailure(path, error)
                throw error
            }
        }
        phase.stats = stats
        phase.eventBound = bound
        phase.summary = summary
        return (.trace(phase), bound)
    }

    /// The decode pass — the only parse of the trace: every record checked against the machine
    /// (errors at file:line:column before anything runs) and matched to requests, holding
    /// nothing but the live pages (`TraceMatcher`): the exact counts a streamed program needs,
    /// and the ops themselves in a `TraceSpill` (8 bytes an op) that generation reads.
    static func readTrace(_ phase: TracePhase, maxOrder: Int, servePreCapture: Bool,
                          fileNode: YAMLNode, reader: NodeReader,
                          limit: Int = Experiment.maxStreamedEvents) throws(YAMLDecodeError) -> (TraceStats, Int, TraceSummary) {
        let (path, file, numbering, useGFP) = (phase.path, phase.file, phase.numbering, phase.useGFP)
        var bound = 0
        let started = DispatchTime.now().uptimeNanoseconds
        var matcher = TraceMatcher(phase, servePreCapture: servePreCapture, firstRequest: 0)
        let spill = TraceSpill()
        let stats: TraceStats
        do {
            stats = try TraceReader.forEachRecord(path: path, displayPath: file) { r in
                switch r.kind {
                case .pageAlloc:
                    guard r.order >= 0, r.order <= maxOrder else {
                        throw TraceError(file: file, line: r.line, column: r.orderColumn, message: "mm_page_alloc order \(r.order) exceeds the machine's max_order \(maxOrder)")
                    }
                    if useGFP, r.gfpFlags == TraceRecord.gfpUnreadable {
                        throw TraceError(file: file, line: r.line, message: "mm_page_alloc gfp_flags names a flag buddylab does not know (gfp: true needs every mask readable)")
                    }
                    if useGFP, r.gfpFlags >= 0, GFPMask(rawValue: UInt32(r.gfpFlags)).allocType == nil {
                        throw TraceError(file: file, line: r.line, message: "mm_page_alloc gfp_flags sets both __GFP_MOVABLE and __GFP_RECLAIMABLE")
                    }
                    guard TraceMapping.allocType(r.migratetype, numbering) != nil else {
                        throw TraceError(file: file, line: r.line, column: r.migratetypeColumn,
                                         message: "mm_page_alloc migratetype \(r.migratetype) is not a request type (0…2)")
                    }
                    bound += 1
                case .pageFree, .pageFreeBatched: bound += 1
                default: break
                }
                // The streamed limit: whether the workload is held in memory (then `maxEvents`
                // applies) is decided once every phase is known (`WorkloadDecoder.decode`).
                guard bound <= limit else {
                    throw TraceError(file: file, line: r.line, column: 1, message: "the trace has more than \(limit) events "
                                     + "(request ids are 32-bit)")
                }
                if let op = matcher.consume(r) { try spill.append(op) }
            }
            try spill.finish()
        } catch let e as TraceSpill.SpillError {
            throw reader.error("trace \(file): \(e.message)", at: fileNode)
        } catch let e as TraceError where e.line == 0 {
            // About the file as a whole (not a regular file, cannot open): the YAML node names it.
            throw reader.error("trace \(file): \(e.message)", at: fileNode)
        } catch let e as TraceError {
            throw YAMLDecodeError(file: e.file, line: e.line, column: e.column, message: e.message)
        } catch {
            throw reader.error("cannot read trace \(file): \(error)", at: fileNode)
        }
        var summary = TraceSummary()
        summary.events = matcher.events
        summary.requests = Int(matcher.nextRequest)
        summary.preCapture = matcher.preCapture
        summary.metrics = matcher.finalTally(stats).metrics
        summary.peakLive = matcher.peakLive
        summary.measured = true
        summary.spill = spill
        summary.decodeSeconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return (stats, bound, summary)
    }

    /// A relative trace path is relative to the experiment file's directory.
    static func resolve(_ file: String, against experiment: String) -> String {
        if file.hasPrefix("/") { return file }
        let dir = URL(fileURLWithPath: experiment).deletingLastPathComponent()
        return dir.appendingPathComponent(file).path
    }
}

/// The outcome of each trace file's decode pass, kept for the rest of one experiment file's
/// decoding: a 10,000-point sweep over a trace read it 10,000 times (≈ 26 minutes) before.
final class TraceDecodeCache {
    struct Key: Hashable {
        var path: String
        var maxOrder: Int
        var numbering: MigratetypeNumbering
        var useGFP: Bool
        var mode: TracePhase.Mode
        var servePreCapture: Bool
    }
    typealias Outcome = (TraceStats, Int, TraceSummary)
    private var results: [Key: Result<Outcome, YAMLDecodeError>] = [:]

    func result(for key: Key, _ read: () throws(YAMLDecodeError) -> Outcome) throws(YAMLDecodeError) -> Outcome {
        if let cached = results[key] { return try cached.get() }
        let outcome: Result<Outcome, YAMLDecodeError>
        do { outcome = .success(try read()) } catch { outcome = .failure(error) }
        results[key] = outcome
        return try outcome.get()
    }
}

/// The pipes this process has read a trace from (`LineReader` reads a pipe once): a second
/// `trace:` phase (other settings) or experiment naming the same pipe is refused, not replayed
/// as an empty trace.
final class PipeClaims: @unchecked Sendable {
    static let shared = PipeClaims()
    private let lock = NSLock()
    /// Keyed by the pipe's identity (device and inode), not its path: a path may name another
    /// file later (a test's FIFO replaced by a symlink), and an in-process caller decodes again.
    /// Each claim keeps the path it was made through, to tell a removed FIFO's reused inode
    /// from the same pipe (`dropIfStale`).
    private var readers: [String: (file: String, path: String)] = [:]
    private var failures: [String: YAMLDecodeError] = [:]

    /// "dev:ino" of `path` when it is a FIFO, nil otherwise.
    private static func key(_ path: String) -> String? {
        var st = stat()
        guard stat(path, &st) == 0, st.st_mode & S_IFMT == S_IFIFO else { return nil }
        return "\(st.st_dev):\(st.st_ino)"
    }

    static func isPipe(_ path: String) -> Bool { key(path) != nil }

    /// Forgets the claim on `k` (and its failure) once the path it was made through no longer
    /// names that pipe: the FIFO was removed, and a new FIFO may have got its inode. Found when
    /// two test suites' temporary FIFOs, created and deleted in one process, shared an inode
    /// and the second was refused as "already read". Call with `lock` held.
    private func dropIfStale(_ k: String) {
        guard let claim = readers[k], Self.key(claim.path) != k else { return }
        readers[k] = nil
        failures[k] = nil
    }

    /// Nil when `path` is not a pipe or not read yet (then claimed for `file`); else who read it.
    func claim(_ path: String, by file: String) -> String? {
        guard let k = Self.key(path) else { return nil }
        lock.lock(); defer { lock.unlock() }
        dropIfStale(k)
        if let earlier = readers[k] { return earlier.file }
        readers[k] = (file, path)
        return nil
    }

    /// The error a pipe's read ended with, if it failed.
    func failure(_ path: String) -> YAMLDecodeError? {
        guard let k = Self.key(path) else { return nil }
        lock.lock(); defer { lock.unlock() }
        dropIfStale(k)
        return failures[k]
    }

    func recordFailure(_ path: String, _ error: YAMLDecodeError) {
        guard let k = Self.key(path) else { return }
        lock.lock(); defer { lock.unlock() }
        if readers[k] != nil { failures[k] = error }
    }
}
