import Foundation

/// Deterministic mutations of an experiment file, for the malformed-corpus test (issue 12): each
/// kind imitates a way real files go wrong — cut off, corrupted bytes, a value of the wrong type,
/// an absurd number, deep nesting, aliases, duplicated / deleted / swapped lines, odd bytes.
///
/// Its own 64-bit SplitMix generator (not the engine's), so the corpus never changes when the
/// engine's seeding does.
struct ExperimentMutator {
    enum Kind: Int, CaseIterable {
        case truncate, flipBytes, swapType, hugeNumber, nest, alias, duplicateLine, deleteLine,
             swapLines, indent, insertByte, bomb
    }

    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }

    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// `source` mutated by `kind`.
    mutating func mutate(_ source: [UInt8], _ kind: Kind) -> [UInt8] {
        var lines = String(decoding: source, as: UTF8.self).components(separatedBy: "\n")
        let valueLines = lines.indices.filter { Self.valueRange(lines[$0]) != nil }
        switch kind {
        case .truncate:
            return Array(source.prefix(below(source.count)))
        case .flipBytes:
            var bytes = source
            for _ in 0..<(1 + below(3)) where !bytes.isEmpty {
                bytes[below(bytes.count)] ^= UInt8(1 + below(255))
            }
            return bytes
        case .swapType:
            replaceValue(&lines, valueLines, with: pick(["[1, 2]", "{ a: 1 }", "'text'", "true", "~", "\"\"", "-1",
                                                         "3.5", "[]", "{}", "!!binary aGVsbG8=", "|\n  block"]))
        case .hugeNumber:
            replaceValue(&lines, valueLines, with: pick(["99999999999999999999999", "0xFFFFFFFFFFFFFFFF",
                                                         "-9223372036854775808", "1e308", "4TiB", "0",
                                                         "18446744073709551616", "9223372036854775807",
                                                         "4095TiB", "pfn:0xFFFFFFFFFFFF", "100000000000%"]))
        case .nest:
            let depth = pick([10, 100, 255, 300, 2000])
            let nested = below(2) == 0
                ? String(repeating: "[", count: depth) + "1" + String(repeating: "]", count: depth)
                : String(repeating: "{a: ", count: depth) + "1" + String(repeating: "}", count: depth)
            replaceValue(&lines, valueLines, with: nested)
        case .alias:
            if below(2) == 0 {
                replaceValue(&lines, valueLines, with: pick(["*nope", "*a", "&a *a"]))
            } else if let machine = lines.firstIndex(where: { $0.hasPrefix("machine:") }),
                      let workload = lines.firstIndex(where: { $0.hasPrefix("workload:") }) {
                // The machine mapping reused where the workload list belongs (a type error).
                lines[machine] = "machine: &m"
                lines[workload] = "workload: *m"
                lines.removeSubrange((workload + 1)..<lines.count)
            }
        case .duplicateLine:
            if let i = valueLines.isEmpty ? nil : pick(valueLines) { lines.insert(lines[i], at: i + 1) }
        case .deleteLine:
            if !lines.isEmpty { lines.remove(at: below(lines.count)) }
        case .swapLines:
            if lines.count > 1 { lines.swapAt(below(lines.count), below(lines.count)) }
        case .indent:
            if !lines.isEmpty {
                let i = below(lines.count)
                lines[i] = pick(["\t", " ", "   ", "- "]) + lines[i]
            }
        case .insertByte:
            var bytes = source
            let odd: [UInt8] = [0x3A, 0x7B, 0x26, 0x2A, 0x21, 0x25, 0x00, 0xFF, 0x22, 0x27, 0x23, 0x7C, 0x3E]
            bytes.insert(pick(odd), at: below(bytes.count + 1))
            return bytes
        case .bomb:
            // A billion-laughs prefix; the file's own keys follow (unknown key `l0`, if it parses).
            var bomb = ["l0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
            for level in 1..<9 {
                bomb.append("l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ") + "]")
            }
            lines.insert(contentsOf: bomb, at: 0)
        }
        return Array(lines.joined(separator: "\n").utf8)
    }

    /// Replaces the value of a random `key: value` line.
    private mutating func replaceValue(_ lines: inout [String], _ candidates: [Int], with value: String) {
        guard !candidates.isEmpty else { return }
        let i = pick(candidates)
        guard let range = Self.valueRange(lines[i]) else { return }
        lines[i].replaceSubrange(range, with: value)
    }

    /// The value part of `key: value` (after the first `: `), when there is one.
    static func valueRange(_ line: String) -> Range<String.Index>? {
        guard let colon = line.range(of: ": ") else { return nil }
        let rest = line[colon.upperBound...]
        guard !rest.trimmingCharacters(in: .whitespaces).isEmpty, !rest.hasPrefix("#") else { return nil }
        return colon.upperBound..<line.endIndex
    }
}
