import BuddyBounds
import Foundation
import Testing
@testable import BuddyTrace

/// Issue 25: a large plain trace is parsed on several threads in blocks (`ParallelTraceReader`);
/// its records, line numbers, stats and first error must be the sequential reader's, wherever
/// the block boundaries fall.
@Suite struct ParallelReaderTests {
    /// The three captured layouts and the hand-written lines, three times over (≈ 2,800 lines).
    static func text() throws -> [UInt8] {
        var bytes: [UInt8] = []
        for _ in 0..<3 {
            for name in ["ftrace-6.18.txt", "trace-cmd-6.18.txt", "perf-6.18.txt", "written-formats.txt"] {
                bytes += try Array(Data(contentsOf: URL(fileURLWithPath: Fixture.path(name))))
            }
        }
        return bytes
    }

    struct Outcome: Equatable {
        var records: [TraceRecord]
        var stats: TraceStats?
        var error: String?
    }

    static func sequential(_ bytes: [UInt8]) -> Outcome {
        var out = Outcome(records: [], stats: nil, error: nil)
        do {
            out.stats = try TraceReader.forEachRecord(reader: LineReader(name: "t.txt", bytes: bytes), name: "t.txt") { out.records.append($0) }
        } catch { out.error = "\(error)" }
        return out
    }

    static func parallel(_ bytes: [UInt8], blockSize: Int, workers: Int) throws -> Outcome {
        let dir = try Fixture.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("t.txt").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        var out = Outcome(records: [], stats: nil, error: nil)
        do {
            out.stats = try ParallelTraceReader(path: path, name: "t.txt", blockSize: blockSize, workers: workers)
                .forEachRecord { out.records.append($0) }
        } catch { out.error = "\(error)" }
        return out
    }

    static let shapes = [(1, 2), (7, 2), (97, 3), (1000, 2), (4096, 1), (1 << 20, 2)]

    @Test func sameRecordsAsSequential() throws {
        let bytes = try Self.text()
        let reference = Self.sequential(bytes)
        #expect(reference.error == nil)
        #expect(reference.records.count > 2500)
        #expect(reference.stats?.lines == 2781)
        for (blockSize, workers) in Self.shapes {
            #expect(try Self.parallel(bytes, blockSize: blockSize, workers: workers) == reference, "block \(blockSize) × \(workers)")
        }
    }

    /// CRLF line ends, no final newline, blank lines.
    @Test func lineEnds() throws {
        let line = "  bash-1 [000] .....  1.000001: mm_page_free: page=00000000deadbeef pfn=0x1f000 order=0"
        let bytes = Array(("# tracer: nop\r\n\r\n" + line + "\r\n\n" + line).utf8)
        let reference = Self.sequential(bytes)
        #expect(reference.records.map(\.line) == [3, 5])
        #expect(reference.stats?.lines == 5 && reference.stats?.skipped == 3)
        for (blockSize, workers) in Self.shapes {
            #expect(try Self.parallel(bytes, blockSize: blockSize, workers: workers) == reference, "block \(blockSize) × \(workers)")
        }
    }

    /// A malformed line and a NUL byte: the first in file order is reported, at its line and
    /// column, after every record before it.
    @Test func firstErrorLocated() throws {
        var bytes = try Self.text()
        let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        let bad = Array("  bash-1 [000] .....  1.000001: mm_page_alloc: page=00000000deadbeef pfn=0x2ba22g order=0 migratetype=1".utf8)
        var edited = lines.enumerated().map { k, l in k == 2000 ? bad[...] : l }
        bytes = Array(edited.joined(separator: [0x0A]))
        var reference = Self.sequential(bytes)
        #expect(reference.error == "t.txt:2001:74: mm_page_alloc: pfn='0x2ba22g' is not a number")
        for (blockSize, workers) in Self.shapes {
            #expect(try Self.parallel(bytes, blockSize: blockSize, workers: workers) == reference, "block \(blockSize) × \(workers)")
        }
        // A NUL earlier, in line 1500 at column 10.
        var nul = Array(edited[1499]); nul[9] = 0
        edited[1499] = nul[...]
        bytes = Array(edited.joined(separator: [0x0A]))
        reference = Self.sequential(bytes)
        #expect(reference.error == "t.txt:1500:10: NUL byte in the text (a binary file or NUL-separated records?)")
        for (blockSize, workers) in Self.shapes {
            #expect(try Self.parallel(bytes, blockSize: blockSize, workers: workers) == reference, "block \(blockSize) × \(workers)")
        }
    }

    /// A line over 64 KiB is refused at its line, column 65,537 (after the records before it).
    @Test func overlongLine() throws {
        let line = "  bash-1 [000] .....  1.000001: mm_page_free: page=00000000deadbeef pfn=0x1f000 order=0\n"
        let bytes = Array((line + line + String(repeating: "x", count: InputBounds.maxLineBytes + 10) + "\n" + line).utf8)
        for (blockSize, workers) in Self.shapes {
            let out = try Self.parallel(bytes, blockSize: blockSize, workers: workers)
            #expect(out.error == "t.txt:3:65537: line longer than 64 KiB (no newline: not a text trace?)", "block \(blockSize) × \(workers)")
            #expect(out.records.map(\.line) == [1, 2])
        }
    }

    /// Only large plain files go parallel.
    @Test func eligibility() throws {
        let dir = try Fixture.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let small = dir.appendingPathComponent("s.txt").path
        #expect(FileManager.default.createFile(atPath: small, contents: Data("x\n".utf8)))
        #expect(!ParallelTraceReader.eligible(path: small, compression: .none))
        let big = dir.appendingPathComponent("b.txt").path
        #expect(FileManager.default.createFile(atPath: big, contents: nil))
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: big))
        try h.truncate(atOffset: UInt64(ParallelTraceReader.threshold))
        try h.close()
        #expect(ParallelTraceReader.eligible(path: big, compression: .none) == (ProcessInfo.processInfo.activeProcessorCount >= 2))
        #expect(!ParallelTraceReader.eligible(path: big, compression: .gzip))
    }
}
