/// Defaults for the strategy hooks added after the first set of designs (issue 10): a design
/// file that does not name one gets the modern (v5.10+/v6.x) kernel's behaviour, so a new
/// variant for a recent kernel needs to spell out only what differs. The designs shipped with
/// buddylab set every one explicitly.
extension KernelEra {
    public static var freeListMovesToTail: Bool { true }
    public static var watermarkScaleFactor: Int? { 10 }
    public static var minFreeKbytesCap: Int { 262_144 }
    public static var watermarkMinCapsMovable: Bool { false }
    public static var unclaimedFallbackRemainderStaysOnFallbackList: Bool { false }
    public static var hasCMAInitReservedMem: Bool { true }
    public static var cmaDeclareRejectsMisalignedFixedBase: Bool { true }
    // Off unless an era names them (the v6.x eras): turning them on for an old era would move
    // its published results (see the protocol's note).
    public static var modelsLowmemReserve: Bool { false }
    public static var allocNoFragment: Bool { false }
    public static var unreservesHighatomicBeforeFailing: Bool { false }
    public static var highatomicReserveAlignedCap: Bool { true }
    public static var highatomicMultiBlockTyping: Bool { false }
    public static var offlineRefusesMemoryHoles: Bool { true }
    /// Eras before 6.12 keep the 6.1 compaction (only 6.1 and 6.12 were read for it).
    public static var compaction: CompactionShape { .v6_1 }
}

extension ContigAlignment {
    public static var boundaryIsolatesWithSavedMigratetype: Bool { false }
    public static var declaredDrift: DriftingCounters { [] }
}

extension MergeRules {
    public static var declaredDrift: DriftingCounters { [] }
}

extension IsolatedFreeAccounting {
    public static var splitOfIsolatedChecksWatermark: Bool { false }
}
