import BuddyYAML
import Testing

@Suite struct ScalarReaderTests {
    @Test func string() throws {
        #expect(try reader.string(node("hello world")) == "hello world")
        #expect(try reader.string(node("'quoted'")) == "quoted")
        #expect(try reader.string(node("123")) == "123")
        #expect(try reader.string(node("!!str 123")) == "123")
        #expect(try reader.string(node("''")) == "")
        #expect(try failure("[a]", reader.string) == "expected a string, found a sequence")
        #expect(try failure("{a: 1}", reader.string) == "expected a string, found a mapping")
        #expect(try failure("~", reader.string) == "expected a string, found null")
    }

    @Test func wrongShapeErrorIsLocated() throws {
        let value = try #require(try document("a: 1\nname: [x, y]\n").mapping?[1].value)
        #expect(decodeError { try reader.string(value) }?.description
            == "t.yaml:2:7: expected a string, found a sequence")
    }

    @Test func int() throws {
        #expect(try reader.int(node("42")) == 42)
        #expect(try reader.int(node("-7")) == -7)
        #expect(try reader.int(node("+7")) == 7)
        #expect(try reader.int(node("0")) == 0)
        #expect(try reader.int(node("0x400")) == 0x400)
        #expect(try reader.int(node("0XfF")) == 255)
        #expect(try reader.int(node("1_000_000")) == 1_000_000)
        #expect(try reader.int(node("9223372036854775807")) == Int.max)
        #expect(try reader.int(node("-9223372036854775808")) == Int.min)
        #expect(try reader.int(node("!!int 5")) == 5)
    }

    @Test func intErrors() throws {
        #expect(try failure("9223372036854775808", reader.int)
            == "integer 9223372036854775808 overflows (the range is -9223372036854775808...9223372036854775807)")
        #expect(try failure("99999999999999999999999", reader.int).hasPrefix("integer 99999999999999999999999 overflows"))
        #expect(try failure("ten", reader.int) == "expected an integer, found 'ten'")
        #expect(try failure("1.5", reader.int) == "expected an integer, found '1.5'")
        #expect(try failure("0x", reader.int) == "expected an integer, found '0x'")
        #expect(try failure("1__0", reader.int) == "expected an integer, found '1__0': misplaced '_'")
        #expect(try failure("_1", reader.int) == "expected an integer, found '_1': misplaced '_'")
        #expect(try failure("010", reader.int)
            == "expected an integer, found '010': leading zeros are ambiguous (YAML 1.1 reads them as octal); use 0x for hex")
        #expect(try failure("\"42\"", reader.int) == "expected an integer, found the quoted string '42'")
        #expect(try failure("!!str 42", reader.int) == "expected an integer, found '42' tagged !!str")
        #expect(try failure("[1]", reader.int) == "expected an integer, found a sequence")
        #expect(try failure("''", reader.int) == "expected an integer, found the quoted string ''")
        #expect(try failure("null", reader.int) == "expected an integer, found null")
    }

    @Test func intInRange() throws {
        #expect(try reader.int(node("10"), in: 0...10) == 10)
        #expect(try failure("11") { try reader.int($0, in: 0...10) } == "11 is out of range 0...10")
    }

    @Test func uint64() throws {
        #expect(try reader.uint64(node("18446744073709551615")) == UInt64.max)
        #expect(try reader.uint64(node("0xFFFF_FFFF_FFFF_FFFF")) == UInt64.max)
        #expect(try failure("18446744073709551616", reader.uint64)
            == "integer 18446744073709551616 overflows (the largest is 18446744073709551615)")
        #expect(try failure("-1", reader.uint64) == "expected a non-negative integer, found -1")
        #expect(try failure("{}", reader.uint64) == "expected a non-negative integer, found a mapping")
        #expect(try failure("7") { try reader.uint64($0, in: 1...5) } == "7 is out of range 1...5")
    }

    @Test func bool() throws {
        #expect(try reader.bool(node("true")))
        #expect(try !reader.bool(node("false")))
        #expect(try failure("yes", reader.bool) == "expected true or false, found 'yes'")
        #expect(try failure("True", reader.bool) == "expected true or false, found 'True'")
        #expect(try failure("'true'", reader.bool) == "expected true or false, found the quoted string 'true'")
    }

    @Test func double() throws {
        #expect(try reader.double(node("0.5")) == 0.5)
        #expect(try reader.double(node("3")) == 3)
        #expect(try reader.double(node("-1e-3")) == -0.001)
        #expect(try reader.double(node("1_000.5")) == 1000.5)
        #expect(try failure("inf", reader.double) == "expected a number, found 'inf'")
        #expect(try failure(".nan", reader.double) == "expected a number, found '.nan'")
        #expect(try failure("0x1p3", reader.double) == "expected a number, found '0x1p3'")
        #expect(try failure("1e999", reader.double) == "number 1e999 overflows")
        #expect(try failure("2") { try reader.double($0, in: 0...1) } == "2.0 is out of range 0.0...1.0")
    }

    @Test func percent() throws {
        #expect(try reader.percent(node("80%")) == 0.80)
        #expect(try reader.percent(node("12.5%")) == 0.125)
        #expect(try reader.percent(node("0%")) == 0)
        #expect(try reader.percent(node("100%")) == 1)
        #expect(try reader.percent(node("'50 %'")) == 0.5)
        #expect(try reader.percent(node("150%"), in: 0...200) == 1.5)
        #expect(try failure("0.8", reader.percent) == "expected a percentage such as 80%, found '0.8'")
        #expect(try failure("120%", reader.percent) == "percentage 120% is out of range 0%...100%")
        #expect(try failure("-5%", reader.percent) == "percentage -5% is out of range 0%...100%")
        #expect(try failure("abc%", reader.percent) == "expected a percentage such as 80%, found 'abc'")
        #expect(try failure("[80%]", reader.percent) == "expected a percentage such as 80%, found a sequence")
    }
}
