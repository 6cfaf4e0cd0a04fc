/// A size as written in an experiment: bytes, or a number of pages whose byte size depends on
/// the machine's page size (which the schema layer knows and this module does not).
public enum SizeValue: Sendable, Hashable {
    case bytes(UInt64)
    case pages(UInt64)

    /// The size in bytes for a given page size, or nil if that overflows 64 bits.
    public func byteCount(pageSize: UInt64) -> UInt64? {
        switch self {
        case .bytes(let bytes): return bytes
        case .pages(let pages):
            let product = pages.multipliedReportingOverflow(by: pageSize)
            return product.overflow ? nil : product.partialValue
        }
    }
}

/// An address as written in an experiment: a byte address (`0x40000000`, `256MiB`) or a page
/// frame number (`pfn:0x80000`), kept apart so the schema layer can check alignment against
/// the page size before converting.
public enum AddressValue: Sendable, Hashable {
    case bytes(UInt64)
    case pfn(UInt64)

    /// The page frame number for a given page size, or nil when a byte address is not
    /// page-aligned (silently rounding an address would move the experiment).
    public func pfn(pageSize: UInt64) -> UInt64? {
        switch self {
        case .pfn(let pfn): return pfn
        case .bytes(let bytes):
            guard pageSize > 0, bytes % pageSize == 0 else { return nil }
            return bytes / pageSize
        }
    }
}

/// The `<integer>[ ]<unit>` notation of sizes and byte addresses.
///
/// Units are binary and case-sensitive (`B`, `KiB`, `MiB`, `GiB`, `TiB`, `page`/`pages`):
/// `MB` is refused with a suggestion rather than guessed at, since 10⁶ and 2²⁰ differ by 5%.
/// Only whole numbers: `1.5GiB` is refused rather than rounded.
enum QuantitySyntax {
    enum Unit: Equatable {
        case bytes(shift: Int)
        case pages
    }

    enum Failure: Error, Equatable {
        case empty
        case negative
        case fractional
        case overflow
        case malformed(reason: String?)
        case unknownUnit(String, suggestion: String?)
    }

    static let unitNames = "B, KiB, MiB, GiB, TiB, pages"
    private static let units: [String: Unit] = [
        "": .bytes(shift: 0), "B": .bytes(shift: 0), "KiB": .bytes(shift: 10), "MiB": .bytes(shift: 20),
        "GiB": .bytes(shift: 30), "TiB": .bytes(shift: 40), "page": .pages, "pages": .pages,
    ]

    /// Parses `text` into a number and its unit. The number is the value in that unit; for
    /// byte units it is already multiplied out (overflow is reported).
    static func parse(_ text: Substring) -> Result<(value: UInt64, unit: Unit), Failure> {
        let trimmed = NodeReader.trimmed(text)
        guard let first = trimmed.first else { return .failure(.empty) }
        if first == "-" { return .failure(.negative) }
        let isHex = trimmed.hasPrefix("0x") || trimmed.hasPrefix("0X")
        let body = isHex ? trimmed.dropFirst(2) : trimmed
        let digitsEnd = body.firstIndex { character in
            !(character.isASCII && (isHex ? character.isHexDigit : (character.isNumber || character == "."))
              || character == "_" || character == "+")
        } ?? body.endIndex
        let number = trimmed[trimmed.startIndex..<digitsEnd]
        let unitText = String(NodeReader.trimmed(body[digitsEnd...]))
        if number.isEmpty || number == "+" { return .failure(.malformed(reason: nil)) }
        guard let unit = units[unitText] else {
            return .failure(.unknownUnit(unitText, suggestion: suggestion(for: unitText)))
        }
        if number.contains(".") { return .failure(.fractional) }
        switch IntegerSyntax.parse(number) {
        case .invalid(let reason):
            return .failure(.malformed(reason: reason))
        case .overflow:
            return .failure(.overflow)
        case .value(let magnitude, let negative):
            if negative && magnitude != 0 { return .failure(.negative) }
            guard case .bytes(let shift) = unit else { return .success((magnitude, unit)) }
            guard magnitude <= UInt64.max >> shift else { return .failure(.overflow) }
            return .success((magnitude << shift, unit))
        }
    }

    /// The unit the user probably meant: `MB`, `M`, `mib` → `MiB`; `pg` → `pages`.
    private static func suggestion(for unit: String) -> String? {
        let lower = unit.lowercased()
        if lower.hasPrefix("pag") || lower == "pg" || lower == "p" { return "pages" }
        switch lower.first {
        case "b": return "B"
        case "k": return "KiB"
        case "m": return "MiB"
        case "g": return "GiB"
        case "t": return "TiB"
        default: return nil
        }
    }
}
