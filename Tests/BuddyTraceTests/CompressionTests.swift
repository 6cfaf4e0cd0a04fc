import Foundation
import Testing
@testable import BuddyTrace

/// gzip (system zlib) and zstd (the zstd tool) give exactly the plain file's records; the
/// decompressor is chosen by the first bytes. Long lines and a tiny chunk size exercise the
/// line reader's refill and growth paths.
@Suite struct CompressionTests {
    func run(_ tool: String, _ args: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = args
        try p.run(); p.waitUntilExit()
        #expect(p.terminationStatus == 0)
    }

    @Test func gzipAndZstdMatchPlain() throws {
        let dir = try Fixture.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let plain = dir.appendingPathComponent("t.txt").path
        try FileManager.default.copyItem(atPath: Fixture.path("perf-6.18.txt"), toPath: plain)
        try run("/bin/sh", ["-c", "gzip -c '\(plain)' > '\(plain).gz' && zstd -q -c '\(plain)' > '\(plain).zst'"])
        var expected: [TraceRecord] = []
        try TraceReader.forEachRecord(path: plain) { expected.append($0) }
        #expect(expected.count == 300)
        for suffix in [".gz", ".zst"] {
            var got: [TraceRecord] = []
            try TraceReader.forEachRecord(path: plain + suffix) { got.append($0) }
            #expect(got == expected, "\(suffix)")
        }
        #expect(try LineReader(path: plain + ".gz").compression == .gzip)
        #expect(try LineReader(path: plain + ".zst").compression == .zstd)
    }

    @Test func corruptZstdIsAnError() throws {
        let dir = try Fixture.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = dir.appendingPathComponent("bad.zst").path
        FileManager.default.createFile(atPath: bad, contents: Data([0x28, 0xb5, 0x2f, 0xfd, 1, 2, 3, 4, 5]))
        #expect(throws: TraceError.self) { try TraceReader.forEachRecord(path: bad) { _ in } }
    }

    @Test func smallChunksAndMissingFinalNewline() throws {
        let dir = try Fixture.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("x.txt").path
        let long = String(repeating: "x", count: 500)
        let text = "a\r\n\(long)\nlast"
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        var lines: [String] = []
        try LineReader(path: path, chunkSize: 64).forEachLine { b, n in
            lines.append("\(n):" + String(decoding: b, as: UTF8.self))
        }
        #expect(lines == ["1:a", "2:\(long)", "3:last"])
    }

    @Test func missingFile() {
        #expect(throws: TraceError.self) { try TraceReader.forEachRecord(path: "/nonexistent/trace.txt") { _ in } }
    }
}
