import BuddyCore
import BuddyTrace
import Foundation

/// A trace-only workload as a stream (issue 25): each cursor reads the decode pass's ops back
/// from its `TraceSpill` (or, for a phase built by hand without one, re-reads the trace through
/// `TraceMatcher`) on a producer thread, handing the consumer chunks of `chunkSize` events
/// through a two-chunk `ChunkChannel`. Reading and hashing run on one core while the simulation
/// runs on the other, and a run holds the machine, the live pages and at most three chunks,
/// never the program.
///
/// The decode pass already counted the events and requests exactly (`TraceSummary`), so the
/// workload hash's header is known before the first chunk: the first cursor made hashes the
/// chunks as it produces them (`hashOnce`), and every other consumer reads the digest from it.
public final class TraceEventSource: ProgramEventSource, @unchecked Sendable {
    /// 2¹⁶ events (2 MiB at the 32-byte `ProgramEvent` stride) per chunk: large enough that the
    /// hand-over's lock is noise, small enough to stay in the last-level cache's neighbourhood.
    public static let defaultChunkSize = 1 << 16

    let phases: [TracePhase]
    let servePreCapture: Bool
    let cpus: Int
    let seed: UInt64
    public let eventCount: Int
    public let chunkSize: Int
    /// The program without its stream, for the hash's header and trailer.
    let shape: Program
    let hashOnce = HashOnce()

    init(phases: [TracePhase], servePreCapture: Bool, seed: UInt64, shape: Program, eventCount: Int, chunkSize: Int) {
        precondition(chunkSize > 0, "TraceEventSource: chunk size must be positive")
        self.phases = phases; self.servePreCapture = servePreCapture
        self.cpus = shape.layout.cpus; self.seed = seed
        self.shape = shape; self.eventCount = eventCount; self.chunkSize = chunkSize
    }

    public func makeCursor() -> any ProgramEventCursor {
        Cursor(self, hashing: hashOnce.claim())
    }

    /// `workload_sha256`: from the hashing cursor (waits for it to finish), or computed here by
    /// a pass of its own when no cursor has claimed the hash.
    public var sha256: String {
        hashOnce.value {
            var hasher: WorkloadHash.Streaming? = WorkloadHash.Streaming(shape, eventCount: eventCount)
            _ = produce(hasher: &hasher) { chunk in chunk.removeAll(keepingCapacity: true); return true }
            return hasher!.finish(shape)
        }
    }

    /// Runs the trace phases in order, calling `deliver` with every full chunk and the last
    /// partial one; `deliver` empties the chunk (or swaps in an empty buffer) and returns false
    /// to stop. `hasher` sees every chunk first. True when every event was produced.
    func produce(hasher: inout WorkloadHash.Streaming?, deliver: (inout [ProgramEvent]) -> Bool) -> Bool {
        var chunk: [ProgramEvent] = []
        chunk.reserveCapacity(chunkSize)
        var cpuStream = cpus > 1 ? CPUAssignment.Stream(cpus: cpus, seed: seed) : nil
        var nextRequest: Int32 = 0
        var stopped = false
        for phase in phases {
            if let spill = phase.summary.spill {
                // The decode pass's ops: no second parse.
                let complete = spill.forEachOp(requestOffset: nextRequest) { op in
                    var event = ProgramEvent(op)
                    cpuStream?.assign(&event)
                    chunk.append(event)
                    guard chunk.count == chunkSize else { return true }
                    hasher?.add(chunk)
                    return deliver(&chunk)
                }
                if !complete { return false }
                nextRequest += Int32(phase.summary.requests)
                continue
            }
            var matcher = TraceMatcher(phase, servePreCapture: servePreCapture, firstRequest: nextRequest)
            do {
                try TraceReader.forEachRecord(path: phase.path, displayPath: phase.file) { r in
                    guard let op = matcher.consume(r) else { return }
                    var event = ProgramEvent(op)
                    cpuStream?.assign(&event)
                    chunk.append(event)
                    if chunk.count == chunkSize {
                        hasher?.add(chunk)
                        guard deliver(&chunk) else { stopped = true; throw StreamStopped() }
                    }
                }
            } catch is StreamStopped {
                return false
            } catch {
                // The decode pass read every line of the file; failing now means it changed or
                // vanished in between, which no result can be honest about.
                preconditionFailure("trace \(phase.file) became unreadable after it was checked: \(error)")
            }
            nextRequest = matcher.nextRequest
        }
        if !stopped, !chunk.isEmpty {
            hasher?.add(chunk)
            _ = deliver(&chunk)
        }
        return !stopped
    }

    struct StreamStopped: Error {}

    /// One consumer: a producer thread filling `channel`, hashing on the way when it holds the
    /// source's hash claim.
    final class Cursor: ProgramEventCursor {
        let channel = ChunkChannel()

        init(_ source: TraceEventSource, hashing: Bool) {
            let channel = self.channel
            let thread = Thread {
                var hasher: WorkloadHash.Streaming? = hashing ? WorkloadHash.Streaming(source.shape, eventCount: source.eventCount) : nil
                let complete = source.produce(hasher: &hasher) { channel.put(&$0) }
                if hashing {
                    if complete { source.hashOnce.publish(hasher!.finish(source.shape)) } else { source.hashOnce.abandon() }
                }
                channel.close()
            }
            thread.name = "buddylab trace stream"
            thread.stackSize = 1 << 22
            thread.start()
        }

        func next(into chunk: inout [ProgramEvent]) -> Bool { channel.take(replacing: &chunk) }

        deinit { channel.cancel() }
    }
}

/// A bounded hand-over of event chunks between one producer and one consumer thread.
///
/// At most `depth` full chunks wait; emptied buffers go back to the producer, so a stream
/// allocates `depth + 2` chunk buffers in all. `@unchecked Sendable`: every field is touched
/// only under `condition`.
final class ChunkChannel: @unchecked Sendable {
    private let condition = NSCondition()
    private var full: [[ProgramEvent]] = []
    private var spare: [[ProgramEvent]] = []
    private var closed = false
    private var cancelled = false
    let depth = 2

    /// Producer: hands `chunk` over (waiting while `depth` chunks are waiting) and leaves an
    /// empty buffer in its place. False when the consumer is gone.
    func put(_ chunk: inout [ProgramEvent]) -> Bool {
        condition.lock(); defer { condition.unlock() }
        while full.count >= depth && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        let capacity = chunk.capacity
        full.append(chunk)
        if let buffer = spare.popLast() { chunk = buffer } else { chunk = []; chunk.reserveCapacity(capacity) }
        condition.broadcast()
        return true
    }

    /// Producer: no more chunks.
    func close() {
        condition.lock(); closed = true; condition.broadcast(); condition.unlock()
    }

    /// Consumer: the next chunk into `chunk` (its old buffer is recycled), or false at the end.
    func take(replacing chunk: inout [ProgramEvent]) -> Bool {
        condition.lock(); defer { condition.unlock() }
        while full.isEmpty && !closed { condition.wait() }
        guard !full.isEmpty else { chunk.removeAll(keepingCapacity: true); return false }
        var old = full.removeFirst()
        swap(&old, &chunk)
        old.removeAll(keepingCapacity: true)
        if old.capacity > 0 { spare.append(old) }
        condition.broadcast()
        return true
    }

    /// Consumer: stops the producer at its next hand-over.
    func cancel() {
        condition.lock(); cancelled = true; full.removeAll(); condition.broadcast(); condition.unlock()
    }
}

/// The digest of a stream, computed once by whichever consumer claims it first.
final class HashOnce: @unchecked Sendable {
    private enum State { case idle, running, done(String) }
    private let condition = NSCondition()
    private var state = State.idle

    /// True for the first caller while no digest exists or is being made: it must `publish`
    /// (or `abandon`).
    func claim() -> Bool {
        condition.lock(); defer { condition.unlock() }
        if case .idle = state { state = .running; return true }
        return false
    }

    func publish(_ digest: String) {
        condition.lock(); state = .done(digest); condition.broadcast(); condition.unlock()
    }

    func abandon() {
        condition.lock(); state = .idle; condition.broadcast(); condition.unlock()
    }

    /// The digest: waits for a running claim, or computes it with `compute` when none runs.
    func value(_ compute: () -> String) -> String {
        condition.lock()
        while true {
            switch state {
            case .done(let digest):
                condition.unlock()
                return digest
            case .running:
                condition.wait()
            case .idle:
                state = .running
                condition.unlock()
                let digest = compute()
                publish(digest)
                return digest
            }
        }
    }
}
