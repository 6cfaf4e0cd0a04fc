import BuddyYAML
import Testing

@Suite struct QuantityReaderTests {
    @Test func sizeUnits() throws {
        #expect(try reader.size(node("64MiB")) == .bytes(64 << 20))
        #expect(try reader.size(node("2 MiB")) == .bytes(2 << 20))
        #expect(try reader.size(node("4KiB")) == .bytes(4096))
        #expect(try reader.size(node("1GiB")) == .bytes(1 << 30))
        #expect(try reader.size(node("3 TiB")) == .bytes(3 << 40))
        #expect(try reader.size(node("512B")) == .bytes(512))
        #expect(try reader.size(node("4096")) == .bytes(4096))
        #expect(try reader.size(node("0x1000")) == .bytes(4096))
        #expect(try reader.size(node("0x10 MiB")) == .bytes(16 << 20))
        #expect(try reader.size(node("1_024 KiB")) == .bytes(1 << 20))
        #expect(try reader.size(node("\"64 MiB\"")) == .bytes(64 << 20))
        #expect(try reader.size(node("512 pages")) == .pages(512))
        #expect(try reader.size(node("1page")) == .pages(1))
        #expect(try reader.size(node("0"), allowZero: true) == .bytes(0))
    }

    @Test func sizeValueInBytes() {
        #expect(SizeValue.pages(512).byteCount(pageSize: 4096) == 2 << 20)
        #expect(SizeValue.bytes(7).byteCount(pageSize: 4096) == 7)
        #expect(SizeValue.pages(UInt64.max).byteCount(pageSize: 4096) == nil)
    }

    @Test func sizeErrors() throws {
        #expect(try failure("-4KiB", reader.size) == "size must be positive")
        #expect(try failure("0", reader.size) == "size must be positive")
        #expect(try failure("0 MiB", reader.size) == "size must be positive")
        #expect(try failure("16777216 TiB", reader.size) == "size overflows (the largest is 18446744073709551615 bytes)")
        #expect(try failure("99999999999999999999", reader.size)
            == "size overflows (the largest is 18446744073709551615 bytes)")
        #expect(try failure("64MB", reader.size)
            == "unknown unit 'MB' in size '64MB'; did you mean 'MiB'? (units: B, KiB, MiB, GiB, TiB, pages)")
        #expect(try failure("4 k", reader.size)
            == "unknown unit 'k' in size '4 k'; did you mean 'KiB'? (units: B, KiB, MiB, GiB, TiB, pages)")
        #expect(try failure("4 furlongs", reader.size)
            == "unknown unit 'furlongs' in size '4 furlongs' (units: B, KiB, MiB, GiB, TiB, pages)")
        #expect(try failure("1.5GiB", reader.size)
            == "size must be a whole number in its unit (write 1536MiB, not 1.5GiB)")
        #expect(try failure("''", reader.size)
            == "size is empty; expected a size such as 64MiB, 4 KiB, 512 pages or 0x1000")
        #expect(try failure("big", reader.size)
            == "expected a size such as 64MiB, 4 KiB, 512 pages or 0x1000, found 'big'")
        #expect(try failure("[1]", reader.size)
            == "expected a size such as 64MiB, 4 KiB, 512 pages or 0x1000, found a sequence")
    }

    @Test func sizeErrorIsLocated() throws {
        let value = try #require(try document("zones:\n  - { name: Normal, size: 1GB }\n").mapping?.first?.value.sequence?.first?.mapping?[1].value)
        #expect(decodeError { try reader.size(value) }?.mark == YAMLMark(line: 2, column: 27))
    }

    @Test func address() throws {
        #expect(try reader.address(node("0")) == .bytes(0))
        #expect(try reader.address(node("0x40000000")) == .bytes(0x4000_0000))
        #expect(try reader.address(node("1073741824")) == .bytes(1 << 30))
        #expect(try reader.address(node("256MiB")) == .bytes(256 << 20))
        #expect(try reader.address(node("pfn:0x80000")) == .pfn(0x80000))
        #expect(try reader.address(node("pfn:1024")) == .pfn(1024))
        #expect(try reader.address(node("'pfn: 7'")) == .pfn(7))
        #expect(AddressValue.bytes(8192).pfn(pageSize: 4096) == 2)
        #expect(AddressValue.bytes(100).pfn(pageSize: 4096) == nil)
        #expect(AddressValue.pfn(5).pfn(pageSize: 4096) == 5)
    }

    @Test func addressErrors() throws {
        #expect(try failure("-0x1000", reader.address) == "address must not be negative")
        #expect(try failure("pfn:-1", reader.address) == "pfn must not be negative")
        #expect(try failure("pfn:0x1_0000_0000_0000_0000", reader.address) == "pfn overflows")
        #expect(try failure("pfn:abc", reader.address) == "expected a page frame number after 'pfn:', found 'abc'")
        #expect(try failure("0x1_0000_0000_0000_0000", reader.address)
            == "address overflows (the largest is 18446744073709551615 bytes)")
        #expect(try failure("16 pages", reader.address)
            == "an address cannot be given in pages; write pfn:16 for a page frame number")
        #expect(try failure("{pfn: 1}", reader.address)
            == "expected an address such as 0x40000000, 256MiB or pfn:0x80000, found a mapping")
    }

    @Test func identifier() throws {
        #expect(try reader.identifier(node("neighbour-unmovable")) == "neighbour-unmovable")
        #expect(try reader.identifier(node("linux-5-19")) == "linux-5-19")
        #expect(try failure("Neighbour_1", reader.identifier) == "name 'Neighbour_1' must match [a-z0-9-]+ ('N' is not allowed)")
        #expect(try failure("''", reader.identifier) == "name '' must match [a-z0-9-]+ (it is empty)")
        let rule = try #require(IdentifierRule(pattern: "[a-z0-9._-]+"))
        #expect(try reader.identifier(node("linux-5.18"), rule: rule, what: "variant id") == "linux-5.18")
        #expect(try failure("a/b") { try reader.identifier($0, rule: rule, what: "variant id") }
            == "variant id 'a/b' must match [a-z0-9._-]+ ('/' is not allowed)")
        #expect(IdentifierRule(pattern: "a-z") == nil)
        #expect(IdentifierRule(pattern: "[z-a]+") == nil)
        #expect(IdentifierRule(pattern: "[a-z]*")?.matches("") == true)
        #expect(IdentifierRule.slug.matches("") == false)
    }

    @Test func choice() throws {
        let presets = ["x86_64", "arm64-4k", "arm64-16k", "arm64-64k"]
        #expect(try reader.choice(node("arm64-4k"), from: presets, what: "preset") == "arm64-4k")
        #expect(try failure("x86-64") { try reader.choice($0, from: presets, what: "preset") }
            == "unknown preset 'x86-64'; did you mean 'x86_64'? (valid: x86_64, arm64-4k, arm64-16k, arm64-64k)")
        #expect(try failure("sparc") { try reader.choice($0, from: presets, what: "preset") }
            == "unknown preset 'sparc'; (valid: x86_64, arm64-4k, arm64-16k, arm64-64k)")
    }
}
