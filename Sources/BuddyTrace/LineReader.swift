import BuddyBounds
import Foundation

/// Splits a byte stream into lines without holding more than one chunk (and one line) in memory.
///
/// Each line is handed to the caller as a buffer into the reader's own chunk, valid only during
/// the call, without its `\n` (and without a trailing `\r`). Lines are numbered from 1.
///
/// Limits, checked before a line is handed out: a line is at most `InputBounds.maxLineBytes`
/// (64 KiB; real kmem lines are under 300 bytes), so a file without newlines (`/dev/zero`, a
/// CR-only or NUL-separated capture, a binary file) is refused at its first line instead of being
/// buffered whole; a NUL byte or a carriage return inside a line is refused at its column (text
/// traces have neither; CR-only line ends would otherwise read as one line of 0 events).
/// Errors of the byte source (corrupt or truncated gzip/zstd) name the line being read.
public final class LineReader {
    public let path: String
    public let compression: TraceCompression
    private let source: any ByteSource
    private var storage: UnsafeMutableRawBufferPointer
    /// Bytes already in `storage` before the first read: a pipe's sniffed head.
    private var preloaded = 0
    /// Whether the text comes through a pipe (read once; nothing may open it again).
    public let isPipe: Bool

    /// Opens `path` — a regular file or a pipe — choosing the decompressor from its first bytes.
    public init(path: String, chunkSize: Int = 1 << 20) throws(TraceError) {
        let kind = try FileByteSource.requireRegularFileOrPipe(path)
        self.path = path
        isPipe = kind == .pipe
        // Room for one longest line plus a chunk to read into: the buffer never grows.
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(chunkSize, 2 * (InputBounds.maxLineBytes + 1)), alignment: 16)
        storage = buffer
        if kind == .pipe {
            // A pipe cannot be opened twice: its first bytes are sniffed where they are read and
            // stay in the buffer as the start of the text.
            let file: FileByteSource
            do { file = try FileByteSource.pipe(path: path) } catch { buffer.deallocate(); throw error }
            let head: Int
            do { head = try file.readHead(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<4])) } catch {
                buffer.deallocate(); throw error
            }
            compression = TraceCompression.sniff(Array(buffer[0..<head]))
            guard compression == .none else {
                buffer.deallocate()
                let tool = compression == .gzip ? "zcat" : "zstdcat"
                throw TraceError(file: path, line: 0, message: "a \(compression.rawValue) stream from a pipe: "
                                 + "decompress it in the pipe (\(tool) FILE | …) or name the compressed file")
            }
            source = file
            preloaded = head
            return
        }
        let head: [UInt8]
        do { head = try FileByteSource.prefix(of: path, count: 4) } catch { buffer.deallocate(); throw error }
        compression = TraceCompression.sniff(head)
        do {
            switch compression {
            case .none: source = try FileByteSource(path: path)
            case .gzip: source = try GzipByteSource(path: path)
            case .zstd: source = try ZstdByteSource(path: path)
            }
        } catch { buffer.deallocate(); throw error }
    }

    /// Reads `bytes` held in memory as the text of `name` (uncompressed): the same line
    /// splitting and limits as a file, for tests and the fuzz targets (`BuddyFuzz`).
    public init(name: String, bytes: [UInt8]) {
        path = name
        compression = .none
        isPipe = false
        source = MemoryByteSource(bytes)
        storage = .allocate(byteCount: 2 * (InputBounds.maxLineBytes + 1), alignment: 16)
    }

    deinit { storage.deallocate() }

    /// Calls `body(line, number)` for every line, in order.
    public func forEachLine(_ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void) throws {
        var start = 0, end = preloaded, number = 0, eof = false
        preloaded = 0
        let base = storage.baseAddress!.assumingMemoryBound(to: UInt8.self)
        // The first NUL or CR at or after `start` (`end` when none): found once per chunk, so a
        // line is checked byte by byte only when one lies in it (a clean trace: never).
        var suspect = 0
        func firstSuspect(_ from: Int, _ to: Int) -> Int {
            guard to > from else { return to }
            var first = to
            if let p = memchr(base + from, 0, to - from) { first = UnsafeMutablePointer<UInt8>(p.assumingMemoryBound(to: UInt8.self)) - base }
            if let p = memchr(base + from, 0x0D, first - from) { first = UnsafeMutablePointer<UInt8>(p.assumingMemoryBound(to: UInt8.self)) - base }
            return first
        }
        func emit(_ from: Int, _ stop: Int) throws {
            number += 1
            var lineEnd = stop
            if lineEnd > from, base[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            if suspect < stop {
                try Self.check(UnsafeBufferPointer(start: base + from, count: lineEnd - from), number, path: path)
                suspect = firstSuspect(stop, end)
            }
            try body(UnsafeBufferPointer(start: base + from, count: lineEnd - from), number)
        }
        while true {
            // Emit every complete line in [start, end).
            while start < end {
                guard let nl = memchr(base + start, 0x0A, end - start) else { break }
                let stop = UnsafeMutableRawPointer(nl) - UnsafeMutableRawPointer(base)
                try emit(start, stop)
                start = stop + 1
            }
            if end - start > InputBounds.maxLineBytes {
                throw TraceError(file: path, line: number + 1, column: InputBounds.maxLineBytes + 1,
                                 message: "line longer than \(InputBounds.maxLineBytes / 1024) KiB (no newline: not a text trace?)")
            }
            if eof {
                if start < end { try emit(start, end) }
                return
            }
            // Keep the partial line (at most maxLineBytes): slide it to the front.
            if start > 0 {
                let rest = end - start
                if rest > 0 { memmove(storage.baseAddress!, storage.baseAddress! + start, rest) }
                suspect -= start
                start = 0; end = rest
            }
            let n: Int
            do { n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: storage[end...])) } catch {
                // Where the stream broke: the line being read, just past its last good byte.
                throw TraceError(file: path, line: number + 1, column: end - start + 1, message: error.message)
            }
            if n == 0 { eof = true } else {
                if suspect >= end { suspect = firstSuspect(end, end + n) }
                end += n
            }
        }
    }

    /// A NUL byte or a carriage return inside a line means this is not line-oriented text.
    static func check(_ line: UnsafeBufferPointer<UInt8>, _ number: Int, path: String) throws(TraceError) {
        guard let p = line.baseAddress, !line.isEmpty else { return }
        if let nul = memchr(p, 0, line.count) {
            throw TraceError(file: path, line: number, column: UnsafeRawPointer(nul) - UnsafeRawPointer(p) + 1,
                             message: "NUL byte in the text (a binary file or NUL-separated records?)")
        }
        if let cr = memchr(p, 0x0D, line.count) {
            throw TraceError(file: path, line: number, column: UnsafeRawPointer(cr) - UnsafeRawPointer(p) + 1,
                             message: "carriage return inside a line (CR-only line ends?)")
        }
    }
}
