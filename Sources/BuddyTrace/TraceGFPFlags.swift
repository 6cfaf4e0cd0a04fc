import BuddyCore
#if canImport(Glibc)
import Glibc
#endif

/// `gfp_flags=` of `mm_page_alloc` (include/trace/events/kmem.h `show_gfp_flags`): the kernel's
/// names joined with `|` (`GFP_HIGHUSER_MOVABLE|__GFP_ZERO|__GFP_COMP`), `0x…(NAMES)` in some
/// trees, or a bare number. Read with `GFPMask.parse(_, lenient: true)`, which drops zone
/// modifiers and KASAN hints (no allocator meaning here).
///
/// A trace has a few dozen distinct masks over millions of lines, so the texts seen are kept
/// with their value and compared byte for byte: no string is built for a mask seen before. One
/// parser reads one file on one thread (`TraceReader.forEachRecord`), hence `@unchecked Sendable`.
final class TraceGFPFlags: @unchecked Sendable {
    /// The raw mask bits, or `TraceRecord.gfpUnreadable` for a text with an unknown name.
    /// Unchecked exclusivity: one parser on one thread (a dynamic check per lookup otherwise).
    @exclusivity(unchecked) private var seen: [(text: [UInt8], value: Int)] = []

    func value(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        // memcmp, not `elementsEqual` (4 % of a parse in perf: an iterator per comparison).
        for entry in seen where entry.text.count == bytes.count {
            let same = bytes.isEmpty
                || entry.text.withUnsafeBufferPointer { memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }
            if same { return entry.value }
        }
        var text = String(decoding: bytes, as: UTF8.self)
        if let open = text.firstIndex(of: "("), text.hasSuffix(")") {
            text = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
        }
        let value = (try? GFPMask.parse(text, lenient: true)).map { Int($0.rawValue) } ?? TraceRecord.gfpUnreadable
        seen.append((Array(bytes), value))
        return value
    }
}
