import BuddyYAML
import Testing

@Suite struct ParserTests {
    @Test func marksOfScalarsSequencesAndMappings() throws {
        let root = try document("name: \"baseline run\"\nmachine:\n  max_order: 10\ntags: [a, 'b', \"ç€\"]\n")
        #expect(root.mark == YAMLMark(line: 1, column: 1))
        let pairs = try #require(root.mapping)
        #expect(pairs.map { $0.key.scalar } == ["name", "machine", "tags"])
        #expect(pairs[0].value.mark == YAMLMark(line: 1, column: 7))
        #expect(pairs[1].key.mark == YAMLMark(line: 2, column: 1))
        #expect(pairs[1].value.mark == YAMLMark(line: 3, column: 3))
        let inner = try #require(pairs[1].value.mapping)
        #expect(inner[0].value.mark == YAMLMark(line: 3, column: 14))
        let tags = try #require(pairs[2].value.sequence)
        #expect(pairs[2].value.mark == YAMLMark(line: 4, column: 7))
        #expect(tags.map(\.mark.column) == [8, 11, 16])
        #expect(tags[2].scalar == "ç€")
    }

    @Test func columnsCountCodePoints() throws {
        let root = try document("ünï: [☃, x]\n")
        let value = try #require(root.mapping?.first?.value.sequence)
        #expect(value[1].mark == YAMLMark(line: 1, column: 10))
    }

    @Test func quotedVersusPlain() throws {
        let items = try #require(try document("[a, 'b', \"c\", 42, '42']").sequence)
        #expect(items.map(\.isPlain) == [true, false, false, true, false])
        #expect(items[1].kind == .scalar("b", .singleQuoted))
        #expect(items[2].kind == .scalar("c", .doubleQuoted))
        let block = try document("a: |\n  lit\nb: >\n  fold\n").mapping
        #expect(block?[0].value.kind == .scalar("lit\n", .literal))
        #expect(block?[1].value.kind == .scalar("fold\n", .folded))
    }

    @Test func explicitTagIsKept() throws {
        let pairs = try #require(try document("a: !!str 123\nb: 123\nc: !custom x\n").mapping)
        #expect(pairs[0].value.tag == "tag:yaml.org,2002:str")
        #expect(pairs[0].value.scalar == "123")
        #expect(pairs[0].value.mark == YAMLMark(line: 1, column: 4))
        #expect(pairs[1].value.tag == nil)
        #expect(pairs[2].value.tag == "!custom")
    }

    @Test func nulCharacterIsKept() throws {
        let root = try document("s: \"a\\0b\"\n")
        #expect(root.mapping?.first?.value.scalar == "a\u{0}b")
    }

    @Test func mappingOrderIsSourceOrder() throws {
        let pairs = try #require(try document("z: 1\na: 2\nm: 3\n").mapping)
        #expect(pairs.map { $0.key.scalar } == ["z", "a", "m"])
    }

    @Test func emptyBlankAndCommentOnlyInputHaveNoDocument() throws {
        #expect(try YAML.parse(bytes: [], file: "t.yaml") == nil)
        #expect(try YAML.parse(string: "\n  \n") == nil)
        #expect(try YAML.parse(string: "# only a comment\n") == nil)
        #expect(try YAML.parse(bytes: [0xEF, 0xBB, 0xBF], file: "t.yaml") == nil)
    }

    @Test func emptyValueIsNull() throws {
        let pairs = try #require(try document("a:\nb: ~\nc: ''\n").mapping)
        #expect(pairs[0].value.isNull)
        #expect(pairs[1].value.isNull)
        #expect(!pairs[2].value.isNull)
    }

    @Test func byteOrderMarkIsStrippedBeforeCounting() throws {
        let root = try #require(try YAML.parse(bytes: [0xEF, 0xBB, 0xBF] + Array("a: b\n".utf8), file: "t.yaml"))
        #expect(root.mapping?.first?.value.mark == YAMLMark(line: 1, column: 4))
    }

    @Test func aliasCopiesTheAnchoredSubtree() throws {
        let pairs = try #require(try document("base: &b {size: 2MiB, zone: Normal}\ncopy: *b\n").mapping)
        #expect(pairs[1].value.kind == pairs[0].value.kind)
        #expect(pairs[1].value.mark == YAMLMark(line: 2, column: 7))
    }

    @Test func mergeKeyIsAnOrdinaryKey() throws {
        let pairs = try #require(try document("b: &b {x: 1}\nc:\n  <<: *b\n").mapping)
        #expect(pairs[1].value.mapping?.first?.key.scalar == "<<")
    }

    @Test func explicitDocumentStartIsOneDocument() throws {
        let root = try document("---\na: 1\n...\n")
        #expect(root.mapping?.count == 1)
    }

    @Test func readsAFileAndNamesItInErrors() throws {
        let path = "/tmp/buddyyaml-test-\(UInt64.random(in: 0...UInt64.max)).yaml"
        let missing = parseFileError(path)
        #expect(missing?.description == "\(path): cannot open file: No such file or directory")
        #expect(missing?.mark == nil)
    }

    private func parseFileError(_ path: String) -> YAMLError? {
        do {
            _ = try YAML.parse(contentsOf: path)
            return nil
        } catch {
            return error
        }
    }
}
