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

    /// Allocates and fills a buffer for two interleaved fields of `count` elements each: the
    /// buffer `cache` kept from its worker's last machine when it has one of this size
    /// (`FrameBufferCache`), else fresh memory.
    public static func allocatePair(count: Int, first: Element, second: Element,
                                    cache: FrameBufferCache? = nil) -> (PairedField, PairedField)
        where Element: FixedWidthInteger {
        let bytes = 2 * count * MemoryLayout<Element>.stride
        let raw = cache?.take(bytes: bytes, alignment: MemoryLayout<Element>.alignment)
            ?? .allocate(byteCount: bytes, alignment: MemoryLayout<Element>.alignment)
        let buffer: UnsafeMutablePointer<Element>
        if first == second {
            // The machine fills both fields alike (`frameNil`, 0): one contiguous fill, which
            // the compiler turns into `memset` — several times faster than the interleaved loop
            // on a 25 GiB machine's 6.5 million frames.
            buffer = raw.initializeMemory(as: Element.self, repeating: first, count: 2 * count)
        } else {
            buffer = raw.bindMemory(to: Element.self, capacity: 2 * count)
            for i in 0..<count {
                (buffer + 2 * i).initialize(to: first)
                (buffer + 2 * i + 1).initialize(to: second)
            }
        }
        return (PairedField(base: buffer), PairedField(base: buffer + 1))
    }

    /// Frees a buffer made by `allocatePair` for `count` elements per field, or hands it to
    /// `cache` for the worker's next machine; call on the first field of the pair only.
    public func deallocatePair(count: Int, cache: FrameBufferCache? = nil) {
        guard let cache else { base.deallocate(); return }
        cache.keep(UnsafeMutableRawPointer(base), bytes: 2 * count * MemoryLayout<Element>.stride,
                   alignment: MemoryLayout<Element>.alignment)
    }
}
