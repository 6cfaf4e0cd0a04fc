import BuddyCore

/// Design F — v3.8+: move-time accounting with Wen Congyang's "memory-hotplug: fix
/// NR_FREE_PAGES mismatch" (offline no longer subtracts) and a458431e176d (design D removed);
/// counting moved into `__free_one_page` in v3.18 and still there in 2022.
///
/// Mainline's answer to the 2012 debate: pages on ISOLATE lists are in `nr_free` but not in
/// NR_FREE_PAGES; `set/unset_migratetype_isolate` adjust by what `move_freepages_block` moved.
public enum AccountingMoveTime: IsolatedFreeAccounting {
    public static let id = "F-move-time"
    public static let summary = "move-time accounting, isolated pages excluded (v3.8+)"
    public static let countsFreeIntoIsolate = false
    public static let rollsBackNrFreeOnIsolatedFree = false
    public static let isolateSubtractsMoved = true
    public static let isolationAdjustsNrFree = false
    public static let splitOfIsolatedSubtracts = false
    public static let offlineSubtracts = false
    public static let offlineDecrementsNrFree = true
    public static let safeWatermarkSubtractsIsolatedBlocks = false
    public static let nrFreeCountsIsolateLists = true
    public static let splitOfIsolatedChecksWatermark = false
    /// Drift this design lets happen: mainline's answer: both counters follow the non-ISOLATE lists.
    public static let declaredDrift: DriftingCounters = []
}
