/// Pageblock / free-list migratetypes, in the v4.4+ order (UNMOVABLE, MOVABLE, RECLAIMABLE,
/// HIGHATOMIC, CMA, ISOLATE). E2012's MIGRATE_RESERVE occupies the HIGHATOMIC slot's position
/// conceptually but is not modelled (no RESERVE blocks are ever set aside; see README).
public enum MigrateType: UInt8, Sendable, CaseIterable {
    case unmovable = 0, movable = 1, reclaimable = 2, highatomic = 3, cma = 4, isolate = 5

    public static let count = 6

    /// `migratetype_is_mergeable()` (v5.18): only the three pcp types merge with each other.
    @inlinable public var isMergeable: Bool { rawValue < 3 }

    /// One character per pageblock in reports.
    public var mapCharacter: Character {
        switch self {
        case .unmovable: "U"
        case .movable: "M"
        case .reclaimable: "R"
        case .highatomic: "H"
        case .cma: "C"
        case .isolate: "I"
        }
    }

    /// Name as `/proc/pagetypeinfo` prints it.
    public var procName: String {
        switch self {
        case .unmovable: "Unmovable"
        case .movable: "Movable"
        case .reclaimable: "Reclaimable"
        case .highatomic: "HighAtomic"
        case .cma: "CMA"
        case .isolate: "Isolate"
        }
    }
}

/// Mobility of an allocation request (the GFP_MOVABLE / GFP_RECLAIMABLE bits).
public enum AllocType: UInt8, Sendable, CaseIterable {
    case unmovable = 0, movable = 1, reclaimable = 2

    /// `gfp_migratetype()`: the free list a request starts from.
    @inlinable public var migrateType: MigrateType { MigrateType(rawValue: rawValue) ?? .unmovable }

    public var name: String {
        switch self {
        case .unmovable: "unmovable"
        case .movable: "movable"
        case .reclaimable: "reclaimable"
        }
    }
}

/// Result of an engine operation, as the contract names op results.
public enum OpResult: String, Sendable {
    case ok, fail, ebusy, einval, enomem, fault
    /// `compact`: compaction_suitable or deferral said no (COMPACT_SKIPPED / COMPACT_DEFERRED).
    case skipped
}
