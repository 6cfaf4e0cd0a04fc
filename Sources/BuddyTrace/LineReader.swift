import Foundation

/// Splits a byte stream into lines without holding more than one chunk (and one line) in memory.
///
/// Each line is handed to the caller as a buffer into the reader's own chunk, valid only during
/// the call, without its `\n` (and without a trailing `\r`). Lines are numbered from 1.
public final class LineReader {
    public let path: String
    public let compression: TraceCompression
    private let source: any ByteSource
    private var storage: UnsafeMutableRawBufferPointer

    /// Opens `path`, choosing the decompressor from the file's first bytes.
    public init(path: String, chunkSize: Int = 1 << 20) throws(TraceError) {
        self.path = path
        let head = try FileByteSource.prefix(of: path, count: 4)
        compression = TraceCompression.sniff(head)
        switch compression {
        case .none: source = try FileByteSource(path: path)
        case .gzip: source = try GzipByteSource(path: path)
        case .zstd: source = try ZstdByteSource(path: path)
        }
        storage = .allocate(byteCount: max(chunkSize, 64), alignment: 16)
    }

    deinit { storage.deallocate() }

    /// Calls `body(line, number)` for every line, in order.
    public func forEachLine(_ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void) throws {
        var start = 0, end = 0, number = 0, eof = false
        while true {
            // Emit every complete line in [start, end).
            while start < end {
                let base = storage.baseAddress!.assumingMemoryBound(to: UInt8.self)
                guard let nl = memchr(base + start, 0x0A, end - start) else { break }
                let stop = UnsafeMutableRawPointer(nl) - UnsafeMutableRawPointer(base)
                number += 1
                var lineEnd = stop
                if lineEnd > start, base[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                try body(UnsafeBufferPointer(start: base + start, count: lineEnd - start), number)
                start = stop + 1
            }
            if eof {
                if start < end {
                    let base = storage.baseAddress!.assumingMemoryBound(to: UInt8.self)
                    number += 1
                    var lineEnd = end
                    if base[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                    try body(UnsafeBufferPointer(start: base + start, count: lineEnd - start), number)
                }
                return
            }
            // Keep the partial line: slide it to the front, or grow when it fills the chunk.
            if start > 0 {
                let rest = end - start
                if rest > 0 { memmove(storage.baseAddress!, storage.baseAddress! + start, rest) }
                start = 0; end = rest
            } else if end == storage.count {
                let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: storage.count * 2, alignment: 16)
                bigger.copyMemory(from: UnsafeRawBufferPointer(storage))
                storage.deallocate()
                storage = bigger
            }
            let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: storage[end...]))
            if n == 0 { eof = true } else { end += n }
        }
    }
}
