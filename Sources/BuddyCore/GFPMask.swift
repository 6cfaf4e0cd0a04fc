/// A request's gfp mask (`gfp_t`), with the kernel's bit names and composite masks.
///
/// Bit values are those of Debian's 6.1.192 `include/linux/gfp_types.h` (the `___GFP_*`
/// constants), so a mask read from a trace's `gfp_flags=0x…` means what the kernel meant.
/// `__GFP_ATOMIC` is kept: Debian's 6.1 still defines `GFP_ATOMIC` as
/// `__GFP_HIGH|__GFP_ATOMIC|__GFP_KSWAPD_RECLAIM` (v6.3's 2973d8229b78 removed the bit upstream);
/// the v4.4–v6.2 reserve rules read it (ALLOC_HARDER), the v6.3 rules ignore it.
///
/// Zone modifiers (`__GFP_DMA`, `__GFP_DMA32`, `__GFP_HIGHMEM`) are not in this set: the engine
/// picks zones from the request's `zone:` and migratetype (`gfp_zone` is not modelled), so a mask
/// naming them is refused at parse time rather than silently ignored.
public struct GFPMask: OptionSet, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt32
    @inlinable public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let movable = GFPMask(rawValue: 0x08)            // __GFP_MOVABLE
    public static let reclaimable = GFPMask(rawValue: 0x10)        // __GFP_RECLAIMABLE
    public static let high = GFPMask(rawValue: 0x20)               // __GFP_HIGH
    public static let io = GFPMask(rawValue: 0x40)                 // __GFP_IO
    public static let fs = GFPMask(rawValue: 0x80)                 // __GFP_FS
    public static let zero = GFPMask(rawValue: 0x100)              // __GFP_ZERO
    public static let atomic = GFPMask(rawValue: 0x200)            // __GFP_ATOMIC (≤ v6.2, Debian 6.1)
    public static let directReclaim = GFPMask(rawValue: 0x400)     // __GFP_DIRECT_RECLAIM
    public static let kswapdReclaim = GFPMask(rawValue: 0x800)     // __GFP_KSWAPD_RECLAIM
    public static let write = GFPMask(rawValue: 0x1000)            // __GFP_WRITE
    public static let nowarn = GFPMask(rawValue: 0x2000)           // __GFP_NOWARN
    public static let retryMayfail = GFPMask(rawValue: 0x4000)     // __GFP_RETRY_MAYFAIL
    public static let nofail = GFPMask(rawValue: 0x8000)           // __GFP_NOFAIL
    public static let noretry = GFPMask(rawValue: 0x10000)         // __GFP_NORETRY
    public static let memalloc = GFPMask(rawValue: 0x20000)        // __GFP_MEMALLOC
    public static let comp = GFPMask(rawValue: 0x40000)            // __GFP_COMP
    public static let nomemalloc = GFPMask(rawValue: 0x80000)      // __GFP_NOMEMALLOC
    public static let hardwall = GFPMask(rawValue: 0x100000)       // __GFP_HARDWALL
    public static let thisnode = GFPMask(rawValue: 0x200000)       // __GFP_THISNODE
    public static let account = GFPMask(rawValue: 0x400000)        // __GFP_ACCOUNT

    public static let reclaim: GFPMask = [.directReclaim, .kswapdReclaim]    // __GFP_RECLAIM
    public static let kernel: GFPMask = [.reclaim, .io, .fs]                 // GFP_KERNEL
    public static let kernelAccount: GFPMask = [.kernel, .account]          // GFP_KERNEL_ACCOUNT
    public static let atomicMask: GFPMask = [.high, .atomic, .kswapdReclaim] // GFP_ATOMIC
    public static let nowait: GFPMask = [.kswapdReclaim]                     // GFP_NOWAIT
    public static let noio: GFPMask = [.reclaim]                             // GFP_NOIO
    public static let nofs: GFPMask = [.reclaim, .io]                        // GFP_NOFS
    public static let user: GFPMask = [.reclaim, .io, .fs, .hardwall]        // GFP_USER
    /// GFP_HIGHUSER is GFP_USER | __GFP_HIGHMEM; the zone modifier has no meaning here.
    public static let highuser: GFPMask = user
    public static let highuserMovable: GFPMask = [.user, .movable]           // GFP_HIGHUSER_MOVABLE
    /// GFP_TRANSHUGE_LIGHT: (GFP_HIGHUSER_MOVABLE | __GFP_COMP | __GFP_NOMEMALLOC | __GFP_NOWARN) & ~__GFP_RECLAIM.
    public static let transhugeLight = GFPMask(rawValue: GFPMask([.highuserMovable, .comp, .nomemalloc, .nowarn]).rawValue
                                               & ~GFPMask.reclaim.rawValue)
    public static let transhuge: GFPMask = [.transhugeLight, .directReclaim] // GFP_TRANSHUGE

    /// The names a mask may be written with, in the order `description` prefers them.
    public static let names: [(name: String, mask: GFPMask)] = [
        ("GFP_TRANSHUGE", .transhuge), ("GFP_TRANSHUGE_LIGHT", .transhugeLight),
        ("GFP_HIGHUSER_MOVABLE", .highuserMovable), ("GFP_KERNEL_ACCOUNT", .kernelAccount),
        ("GFP_USER", .user), ("GFP_HIGHUSER", .highuser), ("GFP_KERNEL", .kernel), ("GFP_ATOMIC", .atomicMask),
        ("GFP_NOFS", .nofs), ("GFP_NOIO", .noio), ("GFP_NOWAIT", .nowait),
        ("__GFP_RECLAIM", .reclaim),
        ("__GFP_MOVABLE", .movable), ("__GFP_RECLAIMABLE", .reclaimable), ("__GFP_HIGH", .high),
        ("__GFP_IO", .io), ("__GFP_FS", .fs), ("__GFP_ZERO", .zero), ("__GFP_ATOMIC", .atomic),
        ("__GFP_DIRECT_RECLAIM", .directReclaim), ("__GFP_KSWAPD_RECLAIM", .kswapdReclaim),
        ("__GFP_WRITE", .write), ("__GFP_NOWARN", .nowarn), ("__GFP_RETRY_MAYFAIL", .retryMayfail),
        ("__GFP_NOFAIL", .nofail), ("__GFP_NORETRY", .noretry), ("__GFP_MEMALLOC", .memalloc),
        ("__GFP_COMP", .comp), ("__GFP_NOMEMALLOC", .nomemalloc), ("__GFP_HARDWALL", .hardwall),
        ("__GFP_THISNODE", .thisnode), ("__GFP_ACCOUNT", .account),
    ]

    /// Why a mask text was refused.
    public enum ParseError: Error, Equatable, Sendable {
        case unknownName(String)
        case empty
    }

    /// Names the kernel prints in `gfp_flags=` that carry no allocator meaning here and are
    /// accepted (and dropped) only when reading traces: KASAN/zeroing hints and zone modifiers.
    public static let traceOnlyNames: Set<String> = [
        "__GFP_SKIP_KASAN", "__GFP_SKIP_KASAN_POISON", "__GFP_SKIP_KASAN_UNPOISON", "__GFP_SKIP_ZERO",
        "__GFP_ZEROTAGS", "__GFP_NOLOCKDEP", "__GFP_DMA", "__GFP_DMA32", "__GFP_HIGHMEM", "GFP_DMA", "GFP_DMA32",
    ]

    /// Parses `GFP_KERNEL | __GFP_HIGH` (names joined with `|`, blanks allowed). `lenient`
    /// (traces) drops `traceOnlyNames`, accepts a leading `0x…` number and the kernel's
    /// `0x…(NAMES)` form.
    public static func parse(_ text: String, lenient: Bool = false) throws(ParseError) -> GFPMask {
        var mask = GFPMask()
        var any = false
        for part in text.split(separator: "|") {
            let name = part.trimmingBlanks
            guard !name.isEmpty else { throw .empty }
            if let m = names.first(where: { $0.name == name })?.mask { mask.formUnion(m); any = true; continue }
            if lenient {
                if traceOnlyNames.contains(name) { any = true; continue }
                if name.hasPrefix("0x"), let v = UInt32(name.dropFirst(2), radix: 16) {
                    mask.formUnion(GFPMask(rawValue: v & knownBits)); any = true; continue
                }
            }
            throw .unknownName(name)
        }
        guard any else { throw .empty }
        return mask
    }

    /// Every bit this type names (a numeric trace mask is cut to these).
    public static let knownBits: UInt32 = names.reduce(0) { $0 | $1.mask.rawValue }

    /// The mask written with the kernel's names, largest composite first (`GFP_KERNEL|__GFP_HIGH`).
    public var description: String {
        var rest = self
        var parts: [String] = []
        for (name, m) in Self.names where !m.isEmpty && rest.isSuperset(of: m) {
            parts.append(name); rest.subtract(m)
        }
        return parts.isEmpty ? "0" : parts.joined(separator: "|")
    }

    /// `gfp_migratetype()`: `__GFP_MOVABLE` → MOVABLE, `__GFP_RECLAIMABLE` → RECLAIMABLE, else
    /// UNMOVABLE; nil when both are set (the kernel's VM_WARN: there is no such type).
    public var allocType: AllocType? {
        switch (contains(.movable), contains(.reclaimable)) {
        case (true, true): nil
        case (true, false): .movable
        case (false, true): .reclaimable
        case (false, false): .unmovable
        }
    }

    /// The kernel's usual mask for a request of `type` (what a request without `gfp:` stands
    /// for): GFP_KERNEL, GFP_HIGHUSER_MOVABLE, GFP_KERNEL | __GFP_RECLAIMABLE.
    @inlinable
    public static func usual(for type: AllocType) -> GFPMask {
        switch type {
        case .unmovable: .kernel
        case .movable: .highuserMovable
        case .reclaimable: [.kernel, .reclaimable]
        }
    }
}

extension Substring {
    fileprivate var trimmingBlanks: String {
        var s = self[...]
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}

/// ` gfp GFP_…` for texts that show a request (nothing for a request without a mask).
@inlinable func gfpText(_ gfp: GFPMask?) -> String { gfp.map { " gfp \($0.description)" } ?? "" }
