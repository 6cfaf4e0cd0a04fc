import BuddyCore
import BuddyYAML

extension MappingReader {
    /// Declares every key the schema allows in this mapping and rejects any other at once.
    ///
    /// Checking keys before values means a misspelt key (`pagblock_order`) is reported with its
    /// suggestion, instead of the confusing error its missing value would cause further on.
    func allowing(_ keys: [String]) throws(YAMLDecodeError) -> MappingReader {
        for key in keys { _ = contains(key) }
        try finish()
        return self
    }

    /// The mark of `key`'s key node, or of the mapping when the key is absent.
    func keyMark(_ key: String) -> YAMLMark {
        entries.first { $0.key == key }?.keyMark ?? mark
    }
}

/// Converts sizes and addresses into pages and pfns for one machine's page size.
///
/// The YAML readers return bytes or pages as written; only the schema layer knows the page size,
/// so the "not a multiple of the page size" and "not page aligned" checks live here.
struct PageUnits {
    let reader: NodeReader
    let pageSize: Int

    /// Upper bound on any page count or pfn (2⁴⁰): far beyond the 4 TiB machine limit, yet small
    /// enough that sums and products of a few of them cannot overflow `Int`.
    static let limit = 1 << 40

    /// A size (`2MiB`, `512 pages`) as a page count; it must be a whole number of pages.
    func pages(_ node: YAMLNode, what: String) throws(YAMLDecodeError) -> Int {
        let value = try reader.size(node)
        guard let bytes = value.byteCount(pageSize: UInt64(pageSize)) else {
            throw reader.error("\(what) overflows", at: node)
        }
        guard bytes % UInt64(pageSize) == 0 else {
            throw reader.error("\(what) \(Self.text(node)) is not a multiple of the page size (\(ByteFormat.string(pageSize)))",
                               at: node)
        }
        let pages = bytes / UInt64(pageSize)
        guard pages <= UInt64(Self.limit) else {
            throw reader.error("\(what) \(Self.text(node)) is absurdly large (more than 2^40 pages)", at: node)
        }
        return Int(pages)
    }

    /// An address as a pfn.
    ///
    /// - Parameter bareIsPfn: Whether a bare number (`0x600`, `1536`) is a pfn. True for keys
    ///   that pair with `pages` (`start:`, `pfn:`), false for keys that pair with a byte `size`
    ///   (`base:`, `ram_start:`), where a bare number is a byte address. `pfn:N` and a number
    ///   with a unit (`6MiB`) mean the same everywhere.
    func pfn(_ node: YAMLNode, bareIsPfn: Bool) throws(YAMLDecodeError) -> Int {
        if bareIsPfn, node.isPlain, node.tag == nil, let text = node.scalar, Self.isBareInteger(text) {
            let value = try reader.uint64(node)
            guard value <= UInt64(Self.limit) else {
                throw reader.error("pfn \(text) is beyond any supported machine", at: node)
            }
            return Int(value)
        }
        let address = try reader.address(node)
        guard let pfn = address.pfn(pageSize: UInt64(pageSize)) else {
            throw reader.error("address \(Self.text(node)) is not aligned to the page size (\(ByteFormat.string(pageSize)))",
                               at: node)
        }
        guard pfn <= UInt64(Self.limit) else {
            throw reader.error("address \(Self.text(node)) is beyond any supported machine", at: node)
        }
        return Int(pfn)
    }

    /// A decimal or `0x` hex integer with no unit and no `pfn:` prefix.
    static func isBareInteger(_ text: String) -> Bool {
        var body = Substring(text).drop { $0 == " " || $0 == "\t" }
        while let last = body.last, last == " " || last == "\t" { body = body.dropLast() }
        let hex = body.hasPrefix("0x") || body.hasPrefix("0X")
        let digits = hex ? body.dropFirst(2) : body
        guard let first = digits.first, first != "_" else { return false }
        return digits.allSatisfy { $0 == "_" || (hex ? $0.isHexDigit : ($0.isASCII && $0.isNumber)) }
    }

    static func text(_ node: YAMLNode) -> String { node.scalar.map { "'\($0)'" } ?? "" }
}

/// Saturating arithmetic for the event-count bound (a bound may legitimately be astronomically
/// large — `repeat: {times: 1000000}` of a big churn — and must then fail the limit, not trap).
enum Saturating {
    static func add(_ a: Int, _ b: Int) -> Int {
        let (r, o) = a.addingReportingOverflow(b)
        return o ? Int.max : r
    }
    static func multiply(_ a: Int, _ b: Int) -> Int {
        let (r, o) = a.multipliedReportingOverflow(by: b)
        return o ? Int.max : r
    }
}
