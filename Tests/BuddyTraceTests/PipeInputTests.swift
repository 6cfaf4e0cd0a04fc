import Foundation
import Testing
@testable import BuddyTrace

#if canImport(Glibc)
import Glibc
#endif

/// Issue 25: a trace too large for the disk as text is read from a pipe (`generate … |
/// buddylab run` with `file: /dev/stdin`, or a named FIFO). A pipe is read once, so its first
/// bytes are sniffed from the stream itself and kept as the text's start; a device still is
/// refused (it never ends), and a compressed stream on a pipe is refused with what to do.
@Suite struct PipeInputTests {
    /// A FIFO in a scratch directory and a thread writing `bytes` into it: the first `first`
    /// bytes alone (shorter than the 4-byte head the reader sniffs), then the rest in `pieces`
    /// writes, so the reader meets short reads.
    func withFIFO(_ bytes: [UInt8], first: Int = 2, pieces: Int = 3, _ body: (String) throws -> Void) throws {
        let dir = try Fixture.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let fifo = dir.appendingPathComponent("trace.fifo").path
        signal(SIGPIPE, SIG_IGN)   // a reader that stops early must not kill the writer's process
        #expect(mkfifo(fifo, 0o600) == 0)
        let writer = Thread {
            let fd = open(fifo, O_WRONLY)   // waits for the reader, as a shell pipeline's writer does
            guard fd >= 0 else { return }
            var cuts = [0, min(first, bytes.count)]
            let rest = bytes.count - cuts[1]
            for k in 1...pieces { cuts.append(cuts[1] + rest * k / pieces) }
            for (from, to) in zip(cuts, cuts.dropFirst()) where to > from {
                _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + from, to - from) }
                usleep(2000)
            }
            close(fd)
        }
        writer.start()
        try body(fifo)
    }

    /// The records of a FIFO are exactly the regular file's, whether its first write is
    /// shorter than the sniffed head or holds the whole text.
    @Test func aFIFOGivesTheRegularFilesRecords() throws {
        let plain = Fixture.path("perf-6.18.txt")
        var expected: [TraceRecord] = []
        let expectedStats = try TraceReader.forEachRecord(path: plain) { expected.append($0) }
        #expect(expected.count == 300)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: plain)))
        for (first, pieces) in [(bytes.count, 1), (1, 7), (3, 40)] {
            try withFIFO(bytes, first: first, pieces: pieces) { fifo in
                var got: [TraceRecord] = []
                let stats = try TraceReader.forEachRecord(path: fifo, displayPath: "t.txt") { got.append($0) }
                #expect(got == expected, "\(first) then \(pieces)")
                #expect(stats == expectedStats, "\(first) then \(pieces)")
            }
        }
    }

    /// Errors on a pipe are located as in a file: line 2, the NUL's column.
    @Test func errorsInAPipeAreLocated() throws {
        let text = Array("a line\nab\0c\n".utf8)
        try withFIFO(text) { fifo in
            let reader = try LineReader(path: fifo)
            #expect(reader.isPipe)
            #expect(throws: TraceError(file: fifo, line: 2, column: 3,
                                       message: "NUL byte in the text (a binary file or NUL-separated records?)")) {
                try reader.forEachLine { _, _ in }
            }
        }
    }

    /// A text shorter than the sniffed head (and an empty one) reads as itself.
    @Test func aPipeShorterThanTheHead() throws {
        for (text, want) in [("", []), ("a", ["1:a"]), ("ab\n", ["1:ab"]), ("abc\nd", ["1:abc", "2:d"])] {
            try withFIFO(Array(text.utf8), first: 1, pieces: 1) { fifo in
                var lines: [String] = []
                try LineReader(path: fifo).forEachLine { b, n in lines.append("\(n):" + String(decoding: b, as: UTF8.self)) }
                #expect(lines == want, "\(text.debugDescription)")
            }
        }
    }

    /// gzip or zstd bytes on a pipe: refused with the decompress-in-the-pipe advice (the tool is
    /// not handed a pipe whose first bytes were already read).
    @Test func compressedStreamOnAPipeIsRefused() throws {
        try withFIFO([0x1f, 0x8b, 8, 0, 0, 0]) { fifo in
            #expect(throws: TraceError(file: fifo, line: 0, message: "a gzip stream from a pipe: decompress it in the pipe "
                                       + "(zcat FILE | …) or name the compressed file")) { try LineReader(path: fifo) }
        }
        try withFIFO([0x28, 0xb5, 0x2f, 0xfd, 1]) { fifo in
            #expect(throws: TraceError(file: fifo, line: 0, message: "a zstd stream from a pipe: decompress it in the pipe "
                                       + "(zstdcat FILE | …) or name the compressed file")) { try LineReader(path: fifo) }
        }
    }

    /// A device is still refused before it is opened: it never ends.
    @Test func aDeviceIsStillRefused() {
        #expect(throws: TraceError(file: "/dev/zero", line: 0,
                                   message: "a character device, not a regular file: traces are read from regular files or pipes")) {
            try LineReader(path: "/dev/zero")
        }
    }
    /// Issue 19's hang: a FIFO nothing opens for writing. It is opened without waiting and
    /// refused once `writerWait` passes with no writer (here 0.2 s; 5 s in the product).
    @Test func aFIFOWithoutAWriterIsRefusedNotAwaited() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pipe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let fifo = dir.appendingPathComponent("idle.fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let source = try FileByteSource.pipe(path: fifo)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4, alignment: 1)
        defer { buffer.deallocate() }
        #expect(throws: TraceError(file: fifo, line: 0, message: "a FIFO nothing writes to (no writer within 0.2 s): start its "
                                   + "writer first, or pipe the trace into file: /dev/stdin")) {
            _ = try source.readHead(into: buffer, writerWait: 0.2)
        }
    }
}
