/// A program's events produced in bounded chunks instead of held whole (issue 25).
///
/// A 10⁸-event trace held as `Program.events` costs 32 B per event (3.2 GB) before the first
/// event runs. A source instead hands every consumer its own cursor over the same deterministic
/// stream, so a run holds the machine, its live allocations and one chunk, whatever the
/// workload's length. `Simulation.run` consumes the cursor chunk by chunk with the very loop it
/// runs over `Program.events`, so both forms of one program give identical results.
public protocol ProgramEventSource: AnyObject, Sendable {
    /// Events the stream yields in all (known before the first chunk: the workload hash and
    /// the contract's `events` metric need it).
    var eventCount: Int { get }
    /// A cursor at the first event. Every cursor yields the identical event sequence.
    func makeCursor() -> any ProgramEventCursor
}

/// One consumer's position in a `ProgramEventSource`.
public protocol ProgramEventCursor: AnyObject {
    /// Replaces `chunk`'s contents with the next events (at least one) and returns true, or
    /// returns false (and leaves `chunk` empty) once the stream is exhausted. Taking `chunk`
    /// inout lets the caller hand its buffer back, so the stream reuses it.
    func next(into chunk: inout [ProgramEvent]) -> Bool
}

extension Program {
    /// Events the program runs: `events.count`, or the stream's count.
    public var eventCount: Int { eventSource?.eventCount ?? events.count }

    /// The same program with its stream drained into `events` (for tools that index events:
    /// `diverge`, `shrink`, the oracle). O(events) memory, as programs were before issue 25.
    public func materialized() -> Program {
        guard let source = eventSource else { return self }
        var p = self
        p.eventSource = nil
        var all: [ProgramEvent] = []
        all.reserveCapacity(source.eventCount)
        let cursor = source.makeCursor()
        var chunk: [ProgramEvent] = []
        while cursor.next(into: &chunk) { all.append(contentsOf: chunk) }
        p.events = all
        return p
    }
}

/// The chunks of an in-memory array (tests, and a stream's reference form).
public final class ArrayEventSource: ProgramEventSource {
    public let events: [ProgramEvent]
    public let chunkSize: Int
    public init(_ events: [ProgramEvent], chunkSize: Int) {
        precondition(chunkSize > 0, "ArrayEventSource: chunk size must be positive")
        self.events = events; self.chunkSize = chunkSize
    }
    public var eventCount: Int { events.count }
    public func makeCursor() -> any ProgramEventCursor { Cursor(self) }

    final class Cursor: ProgramEventCursor {
        let source: ArrayEventSource
        var position = 0
        init(_ source: ArrayEventSource) { self.source = source }
        func next(into chunk: inout [ProgramEvent]) -> Bool {
            chunk.removeAll(keepingCapacity: true)
            guard position < source.events.count else { return false }
            let end = min(position + source.chunkSize, source.events.count)
            chunk.append(contentsOf: source.events[position..<end])
            position = end
            return true
        }
    }
}
