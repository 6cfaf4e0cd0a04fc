/// The integer notation shared by every numeric reader: decimal or `0x` hex, `_` separators.
///
/// Sizes, addresses, pfns and plain integers all accept the same digits, so a kernel
/// developer can paste `0x80000` or `1_048_576` anywhere a number goes. Decimal numbers with a
/// leading zero are refused: YAML 1.1 reads `010` as octal 8, other tools as 10, and a silent
/// disagreement about a pfn is worse than an error.
enum IntegerSyntax {
    enum Parsed: Equatable {
        /// A well-formed integer; `negative` is true for a leading `-` (even `-0`).
        case value(magnitude: UInt64, negative: Bool)
        /// Well-formed, but the magnitude does not fit in 64 bits.
        case overflow(negative: Bool)
        /// Not an integer; the reason is a short phrase for the error message, or nil.
        case invalid(reason: String?)
    }

    static func parse(_ text: Substring) -> Parsed {
        var rest = text
        var negative = false
        if let sign = rest.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            rest = rest.dropFirst()
        }
        var radix: UInt64 = 10
        if rest.hasPrefix("0x") || rest.hasPrefix("0X") {
            radix = 16
            rest = rest.dropFirst(2)
        }
        guard let first = rest.first, first != "_", rest.last != "_" else {
            return .invalid(reason: rest.contains("_") ? "misplaced '_'" : nil)
        }
        if radix == 10, first == "0", rest.count > 1 {
            return .invalid(reason: "leading zeros are ambiguous (YAML 1.1 reads them as octal); use 0x for hex")
        }
        var magnitude: UInt64 = 0
        var overflowed = false
        var previousWasUnderscore = false
        for character in rest {
            if character == "_" {
                if previousWasUnderscore { return .invalid(reason: "misplaced '_'") }
                previousWasUnderscore = true
                continue
            }
            previousWasUnderscore = false
            guard character.isASCII, let digit = character.hexDigitValue, UInt64(digit) < radix else {
                return .invalid(reason: nil)
            }
            let shifted = magnitude.multipliedReportingOverflow(by: radix)
            let added = shifted.partialValue.addingReportingOverflow(UInt64(digit))
            overflowed = overflowed || shifted.overflow || added.overflow
            magnitude = added.partialValue
        }
        return overflowed ? .overflow(negative: negative) : .value(magnitude: magnitude, negative: negative)
    }
}
