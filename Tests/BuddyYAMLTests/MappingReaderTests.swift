import BuddyYAML
import Testing

@Suite struct MappingReaderTests {
    private func machine(_ text: String) throws -> MappingReader {
        try reader.mapping(document(text), context: "machine")
    }

    @Test func unknownKeyWithSuggestion() throws {
        let map = try machine("max_order: 10\npagblock_order: 9\n")
        #expect(try map.required("max_order", reader.int) == 10)
        #expect(map.optional("pageblock_order") == nil)
        #expect(map.optional("page_size") == nil)
        let error = decodeError { try map.finish() }
        #expect(error?.description
            == "t.yaml:2:1: unknown key 'pagblock_order' in machine; did you mean 'pageblock_order'?")
    }

    @Test func unknownKeyListsValidKeysWhenNothingIsClose() throws {
        let map = try machine("max_order: 10\nzzz: 1\n")
        _ = map.optional("max_order")
        _ = map.optional("preset")
        #expect(message { try map.finish() } == "unknown key 'zzz' in machine; valid keys are max_order, preset")
    }

    @Test func finishPassesWhenEveryKeyWasAsked() throws {
        let map = try machine("a: 1\nb: 2\n")
        #expect(map.contains("a"))
        #expect(!map.contains("c"))
        _ = map.optional("b")
        #expect(decodeError { try map.finish() } == nil)
        #expect(map.keys == ["a", "b"])
    }

    @Test func missingRequiredKeyPointsAtTheMapping() throws {
        let root = try document("name: x\nmachine:\n  preset: x86_64\n")
        let top = try reader.mapping(root)
        #expect(message { try top.required("schema") } == "missing required key 'schema' at the top level")
        let nested = try top.mapping("machine")
        #expect(nested.context == "machine")
        let error = decodeError { try nested.required("max_order") }
        #expect(error?.description == "t.yaml:3:3: missing required key 'max_order' in machine")
    }

    @Test func nestedContextsJoinWithDots() throws {
        let top = try reader.mapping(document("machine:\n  cma: {name: c, sise: 2MiB}\n"))
        let cma = try #require(try top.mapping("machine").optionalMapping("cma"))
        #expect(cma.context == "machine.cma")
        _ = cma.optional("name")
        _ = cma.optional("size")
        #expect(decodeError { try cma.finish() }?.description
            == "t.yaml:2:18: unknown key 'sise' in machine.cma; did you mean 'size'?")
    }

    @Test func notAMapping() throws {
        #expect(try failure("[1, 2]") { try reader.mapping($0, context: "machine") }
            == "expected a mapping for machine, found a sequence")
        #expect(try failure("x", reader.mapping) == "expected a mapping, found 'x'")
    }

    @Test func nonScalarKeyIsRefused() throws {
        #expect(try failure("? [a]\n: 1\n", reader.mapping) == "mapping keys must be strings, found a sequence")
    }

    @Test func singleEntryForTaggedUnions() throws {
        let steps = try reader.sequence(node("- fill: {until: 80%}\n- chrun: {}\n- {}\n- {fill: {}, churn: {}}\n"))
        let choices = ["fill", "churn", "contig"]
        let first = try reader.mapping(steps[0], context: "workload[0]").singleEntry(of: choices)
        #expect(first.key == "fill")
        #expect(first.value.mapping?.count == 1)
        #expect(message { try reader.mapping(steps[1], context: "workload[1]").singleEntry(of: choices) }
            == "unknown key 'chrun' in workload[1]; did you mean 'churn'?")
        #expect(message { try reader.mapping(steps[2], context: "workload[2]").singleEntry(of: choices) }
            == "expected exactly one of fill, churn, contig in workload[2], found an empty mapping")
        let two = decodeError { try reader.mapping(steps[3], context: "workload[3]").singleEntry(of: choices) }
        #expect(two?.message == "expected exactly one of fill, churn, contig in workload[3], found 'fill' and 'churn'")
        #expect(two?.mark == YAMLMark(line: 4, column: 14))
    }

    @Test func optionalDecodeReturnsNilWhenAbsentAndDecodesWhenPresent() throws {
        let map = try machine("seeds: 5\n")
        #expect(try map.optional("seeds", reader.int) == 5)
        #expect(try map.optional("base", reader.address) == nil)
    }

    @Test func presentButEmptyOptionalIsNotSilentlyDefaulted() throws {
        let map = try machine("base:\n")
        #expect(message { try map.optional("base", reader.address) }
            == "expected an address such as 0x40000000, 256MiB or pfn:0x80000, found an empty value")
    }

    @Test func editDistance() {
        #expect(EditDistance.levenshtein("pagblock_order", "pageblock_order") == 1)
        #expect(EditDistance.levenshtein("", "abc") == 3)
        #expect(EditDistance.levenshtein("kitten", "sitting") == 3)
        #expect(EditDistance.nearest(to: "sedes", in: ["name", "seeds"]) == "seeds")
        #expect(EditDistance.nearest(to: "x", in: ["ab", "seeds"]) == nil)
        #expect(EditDistance.nearest(to: "completely_different", in: ["max_order"]) == nil)
    }
}
