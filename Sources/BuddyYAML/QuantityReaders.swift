/// Readers for sizes and addresses, the two unit-carrying values of the experiment schema.
extension NodeReader {
    private static let sizeExamples = "a size such as 64MiB, 4 KiB, 512 pages or 0x1000"
    private static let addressExamples = "an address such as 0x40000000, 256MiB or pfn:0x80000"

    /// A positive size: `64MiB`, `2 MiB`, `4096` (bytes), `0x1000`, `512 pages`.
    /// - Throws: "size must be positive" for zero or negative, "size overflows" beyond 2⁶⁴−1,
    ///   an unknown-unit error with a suggestion, or "expected a size …".
    public func size(_ node: YAMLNode) throws(YAMLDecodeError) -> SizeValue {
        try size(node, allowZero: false)
    }

    /// A size that may be zero when `allowZero` is true (e.g. an optional reserve).
    public func size(_ node: YAMLNode, allowZero: Bool) throws(YAMLDecodeError) -> SizeValue {
        let text = try scalarText(node, expected: Self.sizeExamples, policy: .anyStyle)
        let value: UInt64
        let unit: QuantitySyntax.Unit
        switch QuantitySyntax.parse(text[...]) {
        case .success(let parsed):
            (value, unit) = parsed
        case .failure(let failure):
            throw error(message(for: failure, what: "size", examples: Self.sizeExamples, text: text), at: node)
        }
        if value == 0 && !allowZero { throw error("size must be positive", at: node) }
        return unit == .pages ? .pages(value) : .bytes(value)
    }

    /// A byte address (`0x40000000`, `1073741824`, `256MiB`, zero allowed) or a page frame
    /// number (`pfn:0x80000`, `pfn:524288`).
    public func address(_ node: YAMLNode) throws(YAMLDecodeError) -> AddressValue {
        let text = try scalarText(node, expected: Self.addressExamples, policy: .anyStyle)
        let trimmed = Self.trimmed(text[...])
        if trimmed.hasPrefix("pfn:") {
            let digits = Self.trimmed(trimmed.dropFirst(4))
            switch IntegerSyntax.parse(digits) {
            case .value(let pfn, let negative):
                if negative && pfn != 0 { throw error("pfn must not be negative", at: node) }
                return .pfn(pfn)
            case .overflow(let negative):
                throw error(negative ? "pfn must not be negative" : "pfn overflows", at: node)
            case .invalid(let reason):
                throw error(Self.invalid("a page frame number after 'pfn:'", String(digits), reason), at: node)
            }
        }
        switch QuantitySyntax.parse(trimmed) {
        case .success(let parsed) where parsed.unit == .pages:
            throw error("an address cannot be given in pages; write pfn:\(parsed.value) for a page frame number",
                        at: node)
        case .success(let parsed):
            return .bytes(parsed.value)
        case .failure(let failure):
            throw error(message(for: failure, what: "address", examples: Self.addressExamples, text: text), at: node)
        }
    }

    private func message(for failure: QuantitySyntax.Failure, what: String, examples: String, text: String) -> String {
        switch failure {
        case .empty: return "\(what) is empty; expected \(examples)"
        case .negative: return what == "size" ? "size must be positive" : "\(what) must not be negative"
        case .fractional: return "\(what) must be a whole number in its unit (write 1536MiB, not 1.5GiB)"
        case .overflow: return "\(what) overflows (the largest is \(UInt64.max) bytes)"
        case .malformed(let reason): return Self.invalid(examples, text, reason)
        case .unknownUnit(let unit, let suggestion):
            let hint = suggestion.map { "; did you mean '\($0)'?" } ?? ""
            return "unknown unit '\(unit)' in \(what) '\(text)'\(hint) (units: \(QuantitySyntax.unitNames))"
        }
    }
}
