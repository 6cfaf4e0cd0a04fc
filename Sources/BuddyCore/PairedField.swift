/// One of two per-frame fields stored interleaved in a single buffer: element `i` of the first
/// field at `2i`, of the second at `2i + 1`.
///
/// The engine keeps `struct page` as struct-of-arrays, one array per *kernel* field. Two kernel
/// fields are always touched together, so each pair shares an array, the way `struct page`
/// keeps them side by side: `lru` (`next`/`prev`, a `list_head`: every list operation reads or
/// writes both) and `flags`/`private` (the frame `state` byte and the `info` byte: every buddy
/// test and list deletion reads both). For a random frame that is one cache miss instead of two.
/// The engine indexes these exactly as it would a plain pointer (`next[i]`, `state[i] = s`).
public struct PairedField<Element> {
    /// Address of element 0 of this field (the buffer's start, or one element past it).
    public let base: UnsafeMutablePointer<Element>

    @inlinable public init(base: UnsafeMutablePointer<Element>) { self.base = base }

    @inlinable @inline(__always)
    public subscript(i: Int) -> Element {
        get { base[i &<< 1] }
        nonmutating set { base[i &<< 1] = newValue }
    }

    /// Address of element `i` (for prefetching).
    @inlinable @inline(__always)
    public func address(_ i: Int) -> UnsafeMutablePointer<Element> { base + (i &<< 1) }

    /// Allocates and fills a buffer for two interleaved fields of `count` elements each.
    public static func allocatePair(count: Int, first: Element, second: Element)
        -> (PairedField, PairedField) {
        let buffer = UnsafeMutablePointer<Element>.allocate(capacity: 2 * count)
        for i in 0..<count {
            (buffer + 2 * i).initialize(to: first)
            (buffer + 2 * i + 1).initialize(to: second)
        }
        return (PairedField(base: buffer), PairedField(base: buffer + 1))
    }

    /// Frees a buffer made by `allocatePair`; call on the first field of the pair only.
    public func deallocatePair() { base.deallocate() }
}
