/// The ranges every number read from a file or a flag must fall in, checked where it is parsed.
///
/// Past a parse boundary the engine does plain `Int` arithmetic (`pfn + (1 << order)`, counts
/// times pages): these bounds are what make that arithmetic safe. They are wide enough for every
/// machine buddylab can simulate and narrow enough that sums and products of a few values cannot
/// overflow 64 bits.
public enum InputBounds {
    /// Page frame numbers: below 2^52 (x86-64 MAX_PHYSMEM_BITS is 52 with 5-level paging,
    /// arch/x86/include/asm/sparsemem.h, and a pfn has PAGE_SHIFT fewer bits).
    public static let pfnLimit = 1 << 52
    /// Largest buddy order in any input: MAX_PAGE_ORDER is 10 on x86-64 and at most 15 with
    /// ARCH_FORCE_MAX_ORDER (arm64 64 KiB pages, include/linux/mmzone.h).
    public static let maxOrder = 15
    /// The largest machine buddylab simulates: 4 TiB of RAM.
    public static let maxBytes = 1 << 42
    /// Largest page count or block count in any input (2^40): far beyond 4 TiB of 1 KiB pages,
    /// small enough that a count times a block size stays far from overflowing.
    public static let maxCount = 1 << 40
    /// Longest line any line-oriented input may have (trace text, /proc files, oracle logs):
    /// 64 KiB. The longest real kmem trace line is under 300 bytes; the longest oracle `free`
    /// record of a 4 GiB zone is far below this. A longer line is refused, not buffered.
    public static let maxLineBytes = 64 << 10
}

/// One numeric field's domain: its name in messages and its inclusive range.
public struct NumberDomain: Sendable, Equatable {
    public var name: String
    public var range: ClosedRange<Int>

    public init(_ name: String, _ range: ClosedRange<Int>) { self.name = name; self.range = range }

    public static func pfn(_ name: String = "pfn") -> NumberDomain { NumberDomain(name, 0...(InputBounds.pfnLimit - 1)) }
    public static func order(_ name: String = "order", max: Int = InputBounds.maxOrder) -> NumberDomain {
        NumberDomain(name, 0...max)
    }
    public static func count(_ name: String) -> NumberDomain { NumberDomain(name, 0...InputBounds.maxCount) }
    /// Bytes up to the 4 TiB machine cap.
    public static func bytes(_ name: String) -> NumberDomain { NumberDomain(name, 0...InputBounds.maxBytes) }

    /// The range in a message: powers of two as `2^N`.
    public var rangeText: String {
        "\(Self.text(range.lowerBound))…\(Self.text(range.upperBound))"
    }

    static func text(_ v: Int) -> String {
        if v > 4096 {
            for shift in 12..<63 where 1 << shift == v { return "2^\(shift)" }
            for shift in 12..<63 where (1 << shift) - 1 == v { return "2^\(shift)-1" }
        }
        return "\(v)"
    }
}

/// Why a field is not a number of its domain (the caller adds the location).
public enum NumberProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// Not decimal or `0x` hex digits (optionally signed).
    case notANumber(field: String, text: String)
    /// A number, but outside the field's range.
    case outOfRange(field: String, text: String, range: String)

    public var description: String {
        switch self {
        case .notANumber(let f, let t): "\(f)='\(t)' is not a number"
        case .outOfRange(let f, let t, let r): "\(f)=\(t) is out of range (\(r))"
        }
    }
}

/// Range-checked readers of integers as input files and flags spell them: decimal or `0x`/`0X`
/// hex, an optional leading `-` or `+`. Never traps: every overflow is an out-of-range value.
public enum BoundedNumber {
    /// The longest text shown back in a message.
    static let shownLimit = 40

    /// Parses ASCII `bytes` into `domain`, or says why not. Concrete entry points (not one
    /// public generic): a generic call across modules is not specialised, and the trace parser
    /// calls this for every field of every line.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, _ domain: NumberDomain) -> Result<Int, NumberProblem> {
        parseBytes(bytes, domain)
    }

    /// Parses text (a field split out of a line) into `domain`.
    public static func parse(text: Substring, _ domain: NumberDomain) -> Result<Int, NumberProblem> {
        parseBytes(text.utf8, domain)
    }

    static func parseBytes<C: Collection>(_ bytes: C, _ domain: NumberDomain) -> Result<Int, NumberProblem>
    where C.Element == UInt8 {
        switch magnitude(bytes) {
        case .none:
            return .failure(.notANumber(field: domain.name, text: shown(bytes)))
        case .some(let (negative, mag, overflow)):
            // -2^63 … 2^63-1 are representable; anything else is out of every domain.
            if !overflow {
                if negative, mag <= UInt64(Int.max) + 1 {
                    let v = mag == UInt64(Int.max) + 1 ? Int.min : -Int(mag)
                    if domain.range.contains(v) { return .success(v) }
                } else if !negative, mag <= UInt64(Int.max), domain.range.contains(Int(mag)) {
                    return .success(Int(mag))
                }
            }
            return .failure(.outOfRange(field: domain.name, text: shown(bytes), range: domain.rangeText))
        }
    }

    /// Sign, magnitude and whether it overflowed 64 bits; nil when not a number.
    static func magnitude<C: Collection>(_ bytes: C) -> (Bool, UInt64, Bool)? where C.Element == UInt8 {
        var i = bytes.startIndex
        guard i != bytes.endIndex else { return nil }
        var negative = false
        if bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
            negative = bytes[i] == UInt8(ascii: "-"); i = bytes.index(after: i)
        }
        var radix: UInt64 = 10
        if i != bytes.endIndex, bytes[i] == 0x30 {
            let n = bytes.index(after: i)
            if n != bytes.endIndex, bytes[n] | 0x20 == UInt8(ascii: "x") { radix = 16; i = bytes.index(after: n) }
        }
        guard i != bytes.endIndex else { return nil }
        var value: UInt64 = 0
        var overflow = false
        while i != bytes.endIndex {
            let c = bytes[i]
            let d: UInt64
            switch c {
            case 0x30...0x39: d = UInt64(c - 0x30)
            case 0x61...0x66 where radix == 16: d = UInt64(c - 0x61 + 10)
            case 0x41...0x46 where radix == 16: d = UInt64(c - 0x41 + 10)
            default: return nil
            }
            let (m, o1) = value.multipliedReportingOverflow(by: radix)
            let (s, o2) = m.addingReportingOverflow(d)
            overflow = overflow || o1 || o2
            value = s
            i = bytes.index(after: i)
        }
        return (negative, value, overflow)
    }

    static func shown<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        let text = String(decoding: bytes.prefix(shownLimit), as: UTF8.self)
        return bytes.count > shownLimit ? text + "…" : text
    }
}
