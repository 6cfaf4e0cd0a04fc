/// Page geometry of a simulated machine.
///
/// ## The MAX_ORDER convention (stated once, here)
/// Up to v6.3 the kernel's `MAX_ORDER` was *exclusive*: legal orders were `0..MAX_ORDER-1` and
/// x86_64 had `MAX_ORDER = 11`. v6.4 (23baf831a32c, "mm, treewide: redefine MAX_ORDER sanely")
/// made it inclusive (default 10), and v6.8 renamed it `MAX_PAGE_ORDER` (5e0a760b4441).
/// buddylab always stores the **largest legal order, inclusive** (`maxOrder`, = `MAX_PAGE_ORDER`,
/// = pre-6.4 `MAX_ORDER-1`). Comments that cite pre-6.4 code write `MAX_ORDER-1` for it.
public struct Geometry: Sendable, Equatable {
    /// log2 of the page size in bytes (12 for 4 KiB).
    public var pageShift: Int
    /// Largest buddy order, inclusive (`MAX_PAGE_ORDER`).
    public var maxOrder: Int
    /// `pageblock_order`.
    public var pageblockOrder: Int

    public init(pageShift: Int, maxOrder: Int, pageblockOrder: Int) {
        self.pageShift = pageShift; self.maxOrder = maxOrder; self.pageblockOrder = pageblockOrder
    }

    @inlinable public var pageSize: Int { 1 << pageShift }
    @inlinable public var pageblockPages: Int { 1 << pageblockOrder }
    /// `MAX_ORDER_NR_PAGES`: pages in the largest buddy block.
    @inlinable public var maxOrderPages: Int { 1 << maxOrder }
    /// Number of order slots in `free_area[]` (`NR_PAGE_ORDERS`).
    @inlinable public var orderCount: Int { maxOrder + 1 }

    /// x86_64: 4 KiB pages, MAX_ORDER 11 (exclusive) → largest order 10, pageblock_order 9 (HUGETLB_PAGE_ORDER).
    public static let x86_64 = Geometry(pageShift: 12, maxOrder: 10, pageblockOrder: 9)
    /// arm64 4K: as x86_64 (arch/arm64/Kconfig default "11"; PMD order 9).
    public static let arm64_4k = Geometry(pageShift: 12, maxOrder: 10, pageblockOrder: 9)
    /// arm64 16K: ARCH_FORCE_MAX_ORDER 12 (exclusive) → 11; pageblock_order 11 (32 MiB).
    public static let arm64_16k = Geometry(pageShift: 14, maxOrder: 11, pageblockOrder: 11)
    /// arm64 64K: ARCH_FORCE_MAX_ORDER 14 (exclusive) → 13; pageblock_order 13 (512 MiB).
    public static let arm64_64k = Geometry(pageShift: 16, maxOrder: 13, pageblockOrder: 13)

    /// Preset names as the experiment YAML spells them.
    public static func preset(named name: String) -> Geometry? {
        switch name {
        case "x86_64": return .x86_64
        case "arm64-4k": return .arm64_4k
        case "arm64-16k": return .arm64_16k
        case "arm64-64k": return .arm64_64k
        default: return nil
        }
    }
    public static let presetNames = ["x86_64", "arm64-4k", "arm64-16k", "arm64-64k"]
}
