/// Counts of what a pass over a trace met.
public struct TraceStats: Sendable, Equatable {
    /// Lines read (including headers and other tracepoints).
    public var lines = 0
    /// Events per `TraceEventKind` (indexed by raw value).
    public var events = [Int](repeating: 0, count: TraceEventKind.allCases.count)
    /// Lines skipped: headers, blank lines, other tracepoints.
    public var skipped = 0
    /// Lost-event markers (the ring buffer overran: frees or allocs are missing after them).
    public var lostEventMarkers = 0
    public init() {}

    public func count(_ kind: TraceEventKind) -> Int { events[Int(kind.rawValue)] }
    public var totalEvents: Int { events.reduce(0, +) }
}

/// Streams the kmem records of a trace file (plain, gzip or zstd), one at a time.
public enum TraceReader {
    /// Calls `body` for every kmem page record in file order and returns what the pass met.
    /// - Parameters:
    ///   - path: the file to open.
    ///   - displayPath: the name errors use (default: `path`).
    /// - Throws: `TraceError` (file:line:column) for unreadable input or a malformed line;
    ///   whatever `body` throws.
    @discardableResult
    public static func forEachRecord(path: String, displayPath: String? = nil,
                                     _ body: (TraceRecord) throws -> Void) throws -> TraceStats {
        let name = displayPath ?? path
        let reader: LineReader
        do { reader = try LineReader(path: path) } catch { throw TraceError(file: name, line: 0, message: error.message) }
        // A large plain file with a core free: parsed on both cores, records in file order.
        if ParallelTraceReader.eligible(path: path, compression: reader.compression), ParallelTraceReader.coreIsFree() {
            return try ParallelTraceReader(path: path, name: name).forEachRecord(body)
        }
        return try forEachRecord(reader: reader, name: name, body)
    }

    /// Calls `body` for every kmem page record `reader` yields; errors name `name`.
    @discardableResult
    public static func forEachRecord(reader: LineReader, name: String,
                                     _ body: (TraceRecord) throws -> Void) throws -> TraceStats {
        let parser = TraceLineParser(file: name)
        var stats = TraceStats()
        do {
            try reader.forEachLine { line, number in
                stats.lines = number
                switch try parser.parse(line, number: number) {
                case .event(let record):
                    stats.events[Int(record.kind.rawValue)] += 1
                    try body(record)
                case .skipped: stats.skipped += 1
                case .lostEvents: stats.lostEventMarkers += 1
                }
            }
        } catch let e as TraceError where e.file != name {
            throw TraceError(file: name, line: e.line, column: e.column, message: e.message)
        }
        return stats
    }
}
