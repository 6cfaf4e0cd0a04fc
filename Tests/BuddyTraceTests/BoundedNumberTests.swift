import BuddyBounds
import BuddyTrace
import Testing

/// `BoundedNumber` (issue 19): every spelling of a number either lands in its domain or is a
/// problem naming the field — never a trap, whatever the magnitude or sign.
@Suite struct BoundedNumberTests {
    static let pfn = NumberDomain.pfn()

    @Test func valuesInRange() {
        #expect(BoundedNumber.parse(text: "0x2ba220", Self.pfn) == .success(0x2ba220))
        #expect(BoundedNumber.parse(text: "0X2BA220", Self.pfn) == .success(0x2ba220))
        #expect(BoundedNumber.parse(text: "4503599627370495", Self.pfn) == .success((1 << 52) - 1))
        #expect(BoundedNumber.parse(text: "+7", .order()) == .success(7))
        #expect(BoundedNumber.parse(text: "-0", .order()) == .success(0))
    }

    @Test func extremesAreOutOfRangeNotTraps() {
        // -2^63 is the value whose negation traps; 2^64 and beyond overflow UInt64.
        for text in ["-9223372036854775808", "9223372036854775807", "0x7fffffffffffffff", "0xffffffffffffffff",
                     "18446744073709551616", "0x10000000000000000", "-1", "4503599627370496"] {
            #expect(BoundedNumber.parse(text: Substring(text), Self.pfn) == .failure(.outOfRange(field: "pfn", text: text, range: "0…2^52-1")),
                    "\(text)")
        }
        #expect(BoundedNumber.parse(text: "16", .order()) == .failure(.outOfRange(field: "order", text: "16", range: "0…15")))
    }

    @Test func notNumbers() {
        for text in ["", "-", "0x", "0xg", "12a", "1_000", " 1", "1.5", "--1"] {
            #expect(BoundedNumber.parse(text: Substring(text), .count("count")) == .failure(.notANumber(field: "count", text: text)), "\(text)")
        }
        // A long value is shown cut, not whole.
        let long = String(repeating: "9", count: 100)
        guard case .failure(.outOfRange(_, let shown, _)) = BoundedNumber.parse(text: Substring(long), .count("count")) else {
            Issue.record("accepted"); return
        }
        #expect(shown == String(repeating: "9", count: 40) + "…")
    }

    @Test func messages() {
        #expect("\(NumberProblem.outOfRange(field: "pfn", text: "-1", range: "0…2^52-1"))" == "pfn=-1 is out of range (0…2^52-1)")
        #expect("\(NumberProblem.notANumber(field: "order", text: "x"))" == "order='x' is not a number")
        #expect(NumberDomain.count("n").rangeText == "0…2^40")
    }
}
