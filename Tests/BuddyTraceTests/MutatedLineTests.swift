import Foundation
import Testing
@testable import BuddyTrace

/// Damaged input never traps: every line of the three captured excerpts, truncated at every
/// length and with seeded byte mutations, parses or fails with a located `TraceError`.
@Suite struct MutatedLineTests {
    static func lines() throws -> [String] {
        var out: [String] = []
        for name in ["ftrace-6.18.txt", "trace-cmd-6.18.txt", "perf-6.18.txt", "written-formats.txt"] {
            let text = try String(contentsOfFile: Fixture.path(name), encoding: .utf8)
            out += text.split(separator: "\n").prefix(40).map(String.init)
        }
        return out
    }

    @Test func truncationsAndMutations() throws {
        let parser = TraceLineParser(file: "m.txt")
        var state: UInt64 = 0x9E3779B97F4A7C15
        func next() -> UInt64 {  // SplitMix64
            state &+= 0x9E3779B97F4A7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
            z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
            return z ^ (z >> 31)
        }
        var parsed = 0, failed = 0
        let alphabet = Array(" :=[]0x-9az\t#(".utf8)
        for line in try Self.lines() {
            let bytes = Array(line.utf8)
            var variants: [[UInt8]] = (0...bytes.count).map { Array(bytes.prefix($0)) }
            for _ in 0..<20 {
                var b = bytes
                for _ in 0..<3 where !b.isEmpty {
                    b[Int(next() % UInt64(b.count))] = alphabet[Int(next() % UInt64(alphabet.count))]
                }
                variants.append(b)
            }
            for v in variants {
                do {
                    _ = try v.withUnsafeBufferPointer { try parser.parse($0, number: 7) }
                    parsed += 1
                } catch let error as TraceError {
                    #expect(error.line == 7 && error.column >= 1 && error.column <= v.count + 1)
                    failed += 1
                }
            }
        }
        #expect(parsed > 0 && failed > 0)
    }
}
