import BuddyYAML
import Testing

/// Hostile or huge inputs end quickly with a located error (toolchain-notes §2, pitfalls 9–12).
@Suite struct LimitTests {
    @Test func millionLevelFlowNestingFailsFast() {
        let error = parseError(Array(repeating: UInt8(ascii: "["), count: 1_000_000))
        #expect(error?.description == "t.yaml:1:257: nesting is deeper than 256 levels")
    }

    @Test func depth256IsAllowed() throws {
        let text = String(repeating: "[", count: 256) + String(repeating: "]", count: 256)
        var node = try document(text)
        var depth = 1
        while let inner = node.sequence?.first {
            node = inner
            depth += 1
        }
        #expect(depth == 256)
    }

    @Test func blockNestingCountsToo() {
        var text = ""
        for level in 0..<300 { text += String(repeating: " ", count: level) + "k:\n" }
        #expect(parseError(text)?.message == "nesting is deeper than 256 levels")
    }

    @Test func billionLaughsHitsTheNodeBudget() {
        var text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        let names = Array("abcdefghi")
        for level in 1..<names.count {
            let alias = "*\(names[level - 1])"
            text += "\(names[level]): &\(names[level]) [" + Array(repeating: alias, count: 10).joined(separator: ", ") + "]\n"
        }
        let error = parseError(text)
        // Issue 12: the message says which limit was hit and that aliases made the copies.
        #expect(error?.message.hasPrefix("document expands to more than 1000000 YAML nodes, ") == true)
        #expect(error?.message.hasSuffix(" of them copies made by aliases (the per-file node limit guards against alias bombs)") == true)
        #expect(error?.mark?.line == 6)
    }

    @Test func customLimits() {
        let limits = YAMLLimits(maxDepth: 2, maxNodes: 5)
        #expect(parseError(Array("[[[1]]]".utf8), limits: limits)?.message == "nesting is deeper than 2 levels")
        // No alias in the file: the message names the node limit, not aliases (issue 12, defect 6).
        #expect(parseError(Array("[1, 2, 3, 4, 5]".utf8), limits: limits)?.message
            == "the file has more than 5 YAML nodes (the per-file node limit; a scripted op such as "
            + "`- alloc: { order: 0, type: movable }` takes 7, so about 140000 ops fit): split the script or use repeat:")
        #expect(parseError(Array("[1, 2, 3, 4]".utf8), limits: limits) == nil)
    }

    @Test func fiftyThousandKeyMappingParses() throws {
        var text = ""
        text.reserveCapacity(50_000 * 16)
        for index in 0..<50_000 { text += "key\(index): \(index)\n" }
        let pairs = try #require(try document(text).mapping)
        #expect(pairs.count == 50_000)
        #expect(pairs.last?.key.scalar == "key49999")
        #expect(pairs.last?.value.mark == YAMLMark(line: 50_000, column: 11))
    }
}
