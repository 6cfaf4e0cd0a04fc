import BuddyBounds
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Parses a large uncompressed trace on several threads (issue 25: parse on both cores).
///
/// The file is cut into blocks of `blockSize` bytes; block k is parsed by worker k mod `workers`
/// (a line belongs to the block its first byte lies in), and the caller's thread takes the
/// blocks' records in file order, numbering lines as it goes. A worker runs at most `depth`
/// blocks ahead of the caller, so memory is `workers × depth` blocks of records, never the
/// file. The records, stats and errors are the sequential reader's (`LineReader` +
/// `TraceLineParser`): the same parser reads each line, and an error found in a block is
/// reported when the caller reaches it, after every record before it was handed out.
///
/// One difference, documented in `LineReader`'s limits: a line longer than
/// `InputBounds.maxLineBytes` is always refused here, where the sequential reader lets one
/// through when it happens to arrive whole in one read.
final class ParallelTraceReader: @unchecked Sendable {
    /// What one block held: its records with block-relative line numbers (fixed by the caller).
    struct Block {
        var records: [TraceRecord] = []
        var lines = 0
        var skipped = 0
        var lostEvents = 0
        /// The first error, its line block-relative.
        var error: TraceError?
    }

    /// Files from this size on are read in parallel (smaller ones take well under a second).
    static let threshold = 64 << 20
    static let defaultBlockSize = 4 << 20

    let path: String
    let name: String
    let size: Int
    let blockSize: Int
    let workers: Int
    let depth = 2
    private let fd: Int32
    private let condition = NSCondition()
    /// Finished blocks not yet taken, by index.
    private var ready: [Int: Block] = [:]
    /// The next block the caller takes.
    private var taken = 0
    /// Record buffers the caller is done with, for the workers to refill: a fresh 4 MB array
    /// per block was a page fault per 4 KiB (the kernel zeroing every page: half the pass's
    /// page faults at 10⁷ events).
    private var spare: [[TraceRecord]] = []
    private var cancelled = false

    var blockCount: Int { (size + blockSize - 1) / blockSize }

    /// Whether `path` can be read in parallel: an uncompressed regular file of at least
    /// `threshold` bytes on a machine with two or more cores.
    static func eligible(path: String, compression: TraceCompression) -> Bool {
        guard compression == .none, ProcessInfo.processInfo.activeProcessorCount >= 2 else { return false }
        var st = stat()
        guard stat(path, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { return false }
        return Int(st.st_size) >= threshold
    }

    /// Whether a core is free for a second parser now (1-minute load average at least one
    /// below the core count). Handing records between threads costs 10–15 % more CPU than the
    /// sequential reader (measured at 10⁷ events), so on a machine whose cores are all busy
    /// the parallel reader is slower (load ≈ 11 on 2 cores: decode 4.6–5.2 s sequential
    /// against 4.9–5.8 s). Only the speed depends on this: the records are the same.
    static func coreIsFree() -> Bool {
        var load = [Double](repeating: 0, count: 1)
        guard getloadavg(&load, 1) == 1 else { return false }
        return load[0] <= Double(ProcessInfo.processInfo.activeProcessorCount) - 1
    }

    init(path: String, name: String, blockSize: Int = ParallelTraceReader.defaultBlockSize,
         workers: Int = 2) throws(TraceError) {
        precondition(blockSize > 0 && workers > 0)
        self.path = path; self.name = name; self.blockSize = blockSize; self.workers = workers
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw TraceError(file: name, line: 0, message: "cannot open: \(String(cString: strerror(errno)))") }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            close(fd)
            throw TraceError(file: name, line: 0, message: "cannot stat: \(String(cString: strerror(errno)))")
        }
        size = Int(st.st_size)
    }

    deinit { close(fd) }

    /// Calls `body` with every record in file order; the stats of the whole file.
    func forEachRecord(_ body: (TraceRecord) throws -> Void) throws -> TraceStats {
        let count = blockCount
        for w in 0..<min(workers, count) {
            let thread = Thread { [self] in self.work(first: w, count: count) }
            thread.name = "buddylab trace parse"
            thread.stackSize = 1 << 22
            thread.start()
        }
        defer {
            condition.lock(); cancelled = true; ready.removeAll(); condition.broadcast(); condition.unlock()
        }
        var stats = TraceStats()
        var base = 0
        for k in 0..<count {
            condition.lock()
            while ready[k] == nil { condition.wait() }
            var block = ready.removeValue(forKey: k)!
            taken = k + 1
            condition.broadcast()
            condition.unlock()
            for var r in block.records {
                r.line += base
                stats.events[Int(r.kind.rawValue)] += 1
                try body(r)
            }
            block.records.removeAll(keepingCapacity: true)
            condition.lock(); spare.append(block.records); condition.unlock()
            stats.skipped += block.skipped
            stats.lostEventMarkers += block.lostEvents
            if let e = block.error {
                throw TraceError(file: e.file, line: e.line + base, column: e.column, message: e.message)
            }
            base += block.lines
        }
        stats.lines = base
        return stats
    }

    /// Worker: blocks `first`, `first + workers`, … until the end or cancellation.
    private func work(first: Int, count: Int) {
        let window = blockSize + InputBounds.maxLineBytes + 2
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: window, alignment: 16)
        defer { buffer.deallocate() }
        var k = first
        while k < count {
            condition.lock()
            while !cancelled && k >= taken + workers * depth { condition.wait() }
            let stop = cancelled
            let records = spare.popLast() ?? []
            condition.unlock()
            if stop { return }
            let block = parse(block: k, buffer: buffer, records: records)
            condition.lock()
            if !cancelled { ready[k] = block }
            condition.broadcast()
            condition.unlock()
            k += workers
        }
    }

    /// Parses the lines starting in block `k`'s bytes.
    func parse(block k: Int, buffer: UnsafeMutableRawBufferPointer, records: [TraceRecord] = []) -> Block {
        var out = Block()
        out.records = records
        let start = k * blockSize
        let end = min(start + blockSize, size)
        // From the byte before the block (is a line starting at `start`?) to the end of the
        // longest line that may start inside it.
        let from = max(start - 1, 0)
        let to = min(end + InputBounds.maxLineBytes + 1, size)
        var got = 0
        while got < to - from {
            let n = pread(fd, buffer.baseAddress! + got, to - from - got, off_t(from + got))
            if n < 0, errno == EINTR { continue }
            if n <= 0 {
                out.error = TraceError(file: name, line: 1, column: 0,
                                       message: n < 0 ? "read failed: \(String(cString: strerror(errno)))" : "file shrank while read")
                return out
            }
            got += n
        }
        let base = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let stopAt = end - from          // lines must start before this
        var lineStart = start - from     // 0 for block 0, else 1 unless the previous byte was no newline
        if start > 0 && base[0] != 0x0A {
            guard let nl = memchr(base + 1, 0x0A, got - 1) else { return out }
            lineStart = UnsafeMutablePointer<UInt8>(nl.assumingMemoryBound(to: UInt8.self)) - base + 1
        }
        let parser = TraceLineParser(file: name)
        let clean = memchr(base, 0, got) == nil && memchr(base, 0x0D, got) == nil
        out.records.reserveCapacity(min(blockSize / 100, 1 << 16))
        while lineStart < stopAt {
            let number = out.lines + 1
            var lineEnd: Int
            if let nl = memchr(base + lineStart, 0x0A, got - lineStart) {
                lineEnd = UnsafeMutablePointer<UInt8>(nl.assumingMemoryBound(to: UInt8.self)) - base
            } else if from + got == size {
                lineEnd = got                // the last line, without a newline
            } else {
                lineEnd = -1
            }
            if lineEnd < 0 || lineEnd - lineStart > InputBounds.maxLineBytes {
                out.error = TraceError(file: name, line: number, column: InputBounds.maxLineBytes + 1,
                                       message: "line longer than \(InputBounds.maxLineBytes / 1024) KiB (no newline: not a text trace?)")
                return out
            }
            let next = lineEnd + 1
            out.lines = number
            if lineEnd > lineStart, base[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            let line = UnsafeBufferPointer(start: base + lineStart, count: lineEnd - lineStart)
            do {
                if !clean { try LineReader.check(line, number, path: name) }
                switch try parser.parse(line, number: number) {
                case .event(let r): out.records.append(r)
                case .skipped: out.skipped += 1
                case .lostEvents: out.lostEvents += 1
                }
            } catch {
                out.error = error
                return out
            }
            lineStart = next
        }
        return out
    }
}
