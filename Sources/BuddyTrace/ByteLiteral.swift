/// A short ASCII text (at most 16 bytes) held as two little-endian words, compared with a line's
/// bytes by two loads instead of a byte loop (issue 25: `hasPrefix` over a `StaticString` cost
/// about 90 instructions a call, a sixth of a parse once the canonical field path made it the
/// most called helper). The words are written as hex literals so they are constants (a literal
/// computed from a string would be a lazily initialised global, a `swift_once` per use);
/// `CanonicalFieldsTests.literalsSpellTheirText` holds each equal to its text.
struct ByteLiteral {
    let low: UInt64
    let high: UInt64
    let count: Int

    /// Whether `b[at..<at + count]` is this text.
    @inline(__always)
    func matches(_ b: UnsafeBufferPointer<UInt8>, at: Int) -> Bool {
        // Two plain loads when sixteen bytes are there (inlined: `count` is a constant at every
        // call site, so the masks fold away); the end of a line goes out of line.
        guard at >= 0, at + 16 <= b.count else { return matchesNearEnd(b, at: at) }
        let p = UnsafeRawPointer(b.baseAddress! + at)
        let first = p.loadUnaligned(as: UInt64.self)
        if count <= 8 { return first & Self.mask(count) == low }
        return first == low && p.loadUnaligned(fromByteOffset: 8, as: UInt64.self) & Self.mask(count - 8) == high
    }

    @inline(never)
    func matchesNearEnd(_ b: UnsafeBufferPointer<UInt8>, at: Int) -> Bool {
        guard at >= 0, at + count <= b.count else { return false }
        if count <= 8 { return Self.word(b, at) & Self.mask(count) == low }
        return Self.word(b, at) == low && Self.word(b, at + 8) & Self.mask(count - 8) == high
    }

    @inline(__always) static func mask(_ bytes: Int) -> UInt64 { bytes >= 8 ? ~0 : (1 << (8 * UInt64(bytes))) &- 1 }

    /// Up to eight bytes of `b` from `at`, little-endian, zero past its end.
    @inline(__always)
    static func word(_ b: UnsafeBufferPointer<UInt8>, _ at: Int) -> UInt64 {
        if at + 8 <= b.count { return UnsafeRawPointer(b.baseAddress! + at).loadUnaligned(as: UInt64.self) }
        var w: UInt64 = 0
        var k = b.count - 1
        while k >= at { w = w << 8 | UInt64(b[k]); k -= 1 }
        return w
    }

    // The keys of `mm_page_alloc` and `mm_page_free` as their TP_printk prints them.
    static let page = ByteLiteral(low: 0x0000_003D_6567_6170, high: 0, count: 5)                   // "page="
    static let pfn = ByteLiteral(low: 0x0000_003D_6E66_7020, high: 0, count: 5)                    // " pfn="
    static let order = ByteLiteral(low: 0x003D_7265_6472_6F20, high: 0, count: 7)                  // " order="
    static let migratetype = ByteLiteral(low: 0x6574_6172_6769_6D20, high: 0x0000_003D_6570_7974, count: 13)  // " migratetype="
    static let gfpFlags = ByteLiteral(low: 0x616C_665F_7066_6720, high: 0x0000_0000_003D_7367, count: 11)     // " gfp_flags="
    /// Eight `0`s: half of the ftrace buffer's hashed `%p` (`00000000deadbeef`), all of a NULL one's.
    static let zeros = ByteLiteral(low: 0x3030_3030_3030_3030, high: 0, count: 8)
}
