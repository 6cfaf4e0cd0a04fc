import BuddyBounds
import CZlib
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A stream of bytes read in chunks: a plain file, a gzip file (zlib) or a zstd file (the
/// `zstd` tool in a subprocess). Nothing is read ahead beyond one chunk, so a trace of any
/// size streams in constant memory.
protocol ByteSource: AnyObject {
    /// Fills up to `buffer.count` bytes; 0 at the end of the stream.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(TraceError) -> Int
}

/// How a trace file is compressed, told by its first bytes (not its name).
public enum TraceCompression: String, Sendable {
    case none, gzip, zstd

    /// gzip starts 1f 8b (RFC 1952); a zstd frame starts 28 b5 2f fd (RFC 8878).
    static func sniff(_ bytes: [UInt8]) -> TraceCompression {
        if bytes.count >= 2, bytes[0] == 0x1f, bytes[1] == 0x8b { return .gzip }
        if bytes.count >= 4, bytes[0] == 0x28, bytes[1] == 0xb5, bytes[2] == 0x2f, bytes[3] == 0xfd { return .zstd }
        return .none
    }
}

/// A plain file through `read(2)`.
final class FileByteSource: ByteSource {
    let path: String
    let fd: Int32

    /// `flags` beyond O_RDONLY: O_NONBLOCK opens a FIFO without waiting for its writer
    /// (FileByteSource+Pipe.swift).
    init(path: String, flags: Int32 = 0) throws(TraceError) {
        self.path = path
        fd = open(path, O_RDONLY | flags)
        guard fd >= 0 else { throw TraceError(file: path, line: 0, message: "cannot open: \(String(cString: strerror(errno)))") }
    }

    deinit { close(fd) }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(TraceError) -> Int {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw TraceError(file: path, line: 0, message: "read failed: \(String(cString: strerror(errno)))")
        }
    }

    /// What a trace can be read from: a regular file (read from the start, sniffed by a
    /// separate open) or a pipe — `/dev/stdin` of `generate … | buddylab run`, or a named FIFO
    /// (issue 25: a trace too large for the disk as text). A pipe is read once, so its first
    /// bytes are sniffed from the stream itself (`LineReader`).
    enum StreamKind { case regularFile, pipe }

    /// Refuses anything but a regular file or a pipe before it is opened: a device
    /// (`/dev/zero`, `/dev/urandom`, a terminal on stdin) never ends. A pipe is opened without
    /// waiting and refused when no writer comes (FileByteSource+Pipe.swift).
    static func requireRegularFileOrPipe(_ path: String) throws(TraceError) -> StreamKind {
        var st = stat()
        if !path.isEmpty, stat(path, &st) == 0, st.st_mode & S_IFMT == S_IFIFO { return .pipe }
        if let problem = BoundedFile.regularFileProblem(path) {
            throw TraceError(file: path, line: 0, message: "\(problem): traces are read from regular files or pipes")
        }
        return .regularFile
    }

    /// The first `count` bytes of a file (for sniffing), or fewer if it is shorter.
    static func prefix(of path: String, count: Int) throws(TraceError) -> [UInt8] {
        let source = try FileByteSource(path: path)
        var bytes = [UInt8](repeating: 0, count: count)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 1)
        defer { buffer.deallocate() }
        let n = try source.read(into: buffer)
        for k in 0..<n { bytes[k] = buffer[k] }
        return Array(bytes.prefix(n))
    }
}

/// Bytes already in memory, handed out in chunks as a file would be.
final class MemoryByteSource: ByteSource {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(TraceError) -> Int {
        let n = min(buffer.count, bytes.count - offset)
        guard n > 0 else { return 0 }
        bytes.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[offset..<(offset + n)])) }
        offset += n
        return n
    }
}

/// A gzip file through the system zlib (`gzopen`/`gzread`), which also checks the CRC.
final class GzipByteSource: ByteSource {
    let path: String
    private let file: gzFile

    init(path: String) throws(TraceError) {
        self.path = path
        guard let f = gzopen(path, "rb") else {
            throw TraceError(file: path, line: 0, message: "cannot open gzip file: \(String(cString: strerror(errno)))")
        }
        file = f
        gzbuffer(file, 1 << 17)
    }

    deinit { gzclose(file) }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(TraceError) -> Int {
        let n = gzread(file, buffer.baseAddress, UInt32(min(buffer.count, Int(Int32.max))))
        if n < 0 {
            var code: Int32 = 0
            let message = gzerror(file, &code).map { String(cString: $0) } ?? "unknown error"
            throw TraceError(file: path, line: 0, message: "gzip: \(message)")
        }
        if n == 0 {
            // zlib reports a stream cut short only through gzerror (Z_BUF_ERROR) after a 0 read.
            var code: Int32 = 0
            let message = gzerror(file, &code).map { String(cString: $0) } ?? ""
            if code != Z_OK { throw TraceError(file: path, line: 0, message: "gzip: \(message.isEmpty ? "truncated" : message)") }
        }
        return Int(n)
    }
}

/// A zstd file, decompressed by the `zstd` tool (Debian package `zstd`) in a subprocess whose
/// output is read through a pipe: no libzstd headers are needed, and the stream stays bounded.
final class ZstdByteSource: ByteSource {
    let path: String
    private let process = Process()
    private let output = Pipe()
    private let errors = Pipe()
    private var finished = false

    init(path: String) throws(TraceError) {
        self.path = path
        guard let tool = Self.findTool("zstd") else {
            throw TraceError(file: path, line: 0, message: "the zstd tool is needed to read .zst traces (apt-get install zstd)")
        }
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["-d", "-c", "-q", "--", path]
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw TraceError(file: path, line: 0, message: "cannot start zstd: \(error.localizedDescription)")
        }
    }

    deinit {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(TraceError) -> Int {
        if finished { return 0 }
        let fd = output.fileHandleForReading.fileDescriptor
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n > 0 { return n }
            if n < 0, errno == EINTR { continue }
            if n < 0 { throw TraceError(file: path, line: 0, message: "zstd pipe: \(String(cString: strerror(errno)))") }
            finished = true
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                throw TraceError(file: path, line: 0, message: "zstd failed (exit \(process.terminationStatus)): "
                                 + text.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            return 0
        }
    }

    static func findTool(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") + ["/usr/bin"] {
            let candidate = "\(dir)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }
}
