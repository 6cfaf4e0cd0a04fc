import BuddyYAML
import Testing

/// The error table of toolchain-notes §2, plus truncation and encoding cases.
@Suite struct ParserErrorTests {
    @Test func unclosedFlowSequence() {
        let error = parseError("a: 1\nb: [1, 2\nc: 3\n")
        #expect(error?.description
            == "t.yaml:3:2: did not find expected ',' or ']' (while parsing a flow sequence at line 2, column 4)")
        #expect(error?.context == "while parsing a flow sequence at line 2, column 4")
    }

    @Test func misindentedMappingValue() {
        #expect(parseError("a: 1\n  b: 2\n")?.description == "t.yaml:2:4: mapping values are not allowed in this context")
    }

    @Test func columnCountsCodePoints() {
        let error = parseError("k: \"☃☃☃\" x\n")
        #expect(error?.mark == YAMLMark(line: 1, column: 10))
        #expect(error?.message == "did not find expected key")
    }

    @Test func tabIndentation() {
        let error = parseError("a: 1\nb:\n\t- x\n")
        #expect(error?.mark == YAMLMark(line: 3, column: 1))
        #expect(error?.message == "found character that cannot start any token")
        #expect(error?.context == "while scanning for the next token at line 3, column 1")
    }

    @Test func duplicateKey() {
        #expect(parseError("a: 1\na: 2\n")?.description == "t.yaml:2:1: duplicate key 'a'")
        #expect(parseError("m: {x: 1, y: 2, x: 3}\n")?.description == "t.yaml:1:17: duplicate key 'x'")
    }

    @Test func undefinedAlias() {
        #expect(parseError("a: *nope")?.description == "t.yaml:1:4: found undefined or recursive alias '*nope'")
    }

    @Test func recursiveAliasIsUndefined() {
        #expect(parseError("a: &x [1, *x]\n")?.message == "found undefined or recursive alias '*x'")
    }

    @Test func invalidUTF8IsLocatedFromTheByteOffset() {
        let bytes = Array("a: 1\nb: x".utf8) + [0xC3, 0x28] + Array("y\n".utf8)
        #expect(parseError(bytes)?.description == "t.yaml:2:6: invalid trailing UTF-8 octet #x28")
    }

    @Test func invalidUTF8AfterMultibyteCharacters() {
        let bytes = Array("ç: ☃".utf8) + [0xFF]
        #expect(parseError(bytes)?.mark == YAMLMark(line: 1, column: 5))
    }

    @Test func controlCharacter() {
        #expect(parseError("x: \u{01}\n")?.description == "t.yaml:1:4: control characters are not allowed #x1")
    }

    @Test func truncatedFlowSequence() {
        #expect(parseError("a:\n  - [1, 2\n")?.description
            == "t.yaml:3:1: did not find expected ',' or ']' (while parsing a flow sequence at line 2, column 5)")
    }

    @Test func truncatedQuotedScalar() {
        #expect(parseError("a: \"abc")?.description
            == "t.yaml:1:8: found unexpected end of stream (while scanning a quoted scalar at line 1, column 4)")
    }

    @Test func secondDocumentIsAnError() {
        #expect(parseError("a: 1\n---\nb: 2\n")?.description
            == "t.yaml:2:1: only one YAML document is allowed per file; a second document starts at line 2")
    }

    @Test func utf16IsRefused() {
        #expect(parseError([0xFF, 0xFE, 0x61, 0x00])?.description == "t.yaml:1:1: file is UTF-16; save it as UTF-8")
    }
}
