/// Per-frame bit layouts. One `state` byte and one `info` byte per frame, plus two `UInt32`
/// links: 10 bytes of engine state per simulated page (the `struct page` fields that matter).
///
/// `state`: bits 0–3 order, bits 4–6 kind.
/// `info`: free head → the migratetype of the list it is on (what `list_del` needs);
///         allocated head → `AllocInfo` bits;
///         head on a pcp list → the migratetype cached at free time (`set_pcppage_migratetype`).
public enum FrameKind: UInt8, Sendable {
    /// Tail of a free or allocated block, or a frame no one owns yet.
    case none = 0
    /// Head of a free buddy block (`PageBuddy`, order in `page_private`).
    case buddy = 1
    /// Head of an allocated block.
    case allocated = 2
    /// Offline memory (`PageReserved` after `__offline_isolated_pages`).
    case reserved = 3
    /// Head of a block on a per-cpu list: refcount 0 but not `PageBuddy`, in neither counter
    /// (PerCPUPages.swift).
    case pcp = 4
}

@usableFromInline let frameNil: UInt32 = .max

@inlinable @inline(__always)
func packState(_ kind: FrameKind, _ order: Int) -> UInt8 { kind.rawValue << 4 | UInt8(truncatingIfNeeded: order) }

/// Allocation attributes kept on an allocated head (`info` byte).
public struct AllocInfo: Sendable, Equatable {
    public var raw: UInt8
    @inlinable public init(raw: UInt8) { self.raw = raw }
    @inlinable public init(type: AllocType, migratable: Bool, compound: Bool, handled: Bool = true, fileLRU: Bool = false) {
        raw = type.rawValue | (migratable ? 4 : 0) | (compound ? 8 : 0) | (handled ? 0 : 16) | (fileLRU ? 32 : 0)
    }
    @inlinable public var type: AllocType { AllocType(rawValue: raw & 3) ?? .unmovable }
    /// LRU or `__PageMovable`: migration can move it.
    @inlinable public var migratable: Bool { raw & Self.migratableBit != 0 }
    /// The `migratable` bit of `raw` (an LRU page; cleared while compaction's target waits in
    /// the `lru_add` batch: Machine+LRUAddBatch.swift).
    public static let migratableBit: UInt8 = 4
    /// A compound page (`PageCompound`): `compound_head()` finds its head from any tail.
    @inlinable public var compound: Bool { raw & 8 != 0 }
    /// Owned by a workload request (has a handle) rather than by `alloc_contig_range`/CMA.
    @inlinable public var handled: Bool { raw & 16 == 0 }
    /// A clean page-cache page on a file LRU list (only in states imported from a real kernel):
    /// `alloc_contig_range` reclaims it instead of migrating it (`reclaim_clean_pages_from_list`).
    @inlinable public var fileLRU: Bool { raw & 32 != 0 }
}
