import BuddyCore

/// Design C — Minchan Kim, "Accounting problem of MIGRATE_ISOLATED freed page" (linux-mm,
/// 2012-06-20; the seed patch, "passed just compile test", never merged): isolated free pages are
/// counted in neither NR_FREE_PAGES nor `nr_free`.
///
/// Differs from v3.5: frees into ISOLATE blocks go through `free_one_isolated_page`, which calls
/// `__free_one_page(…, MIGRATE_ISOLATE)` and then `nr_free[order]--` at the *original* order
/// (defect: wrong when the free merged with isolated buddies); isolation uses
/// `hotplug_move_freepages_block`, which also moves blocks out of `nr_free`; `split_free_page` of
/// an isolated page and `__offline_isolated_pages` touch neither counter.
public enum AccountingNonCounting: IsolatedFreeAccounting {
    public static let id = "C-non-counting"
    public static let summary = "isolated free pages in neither NR_FREE_PAGES nor nr_free (Minchan 2012-06-20)"
    public static let countsFreeIntoIsolate = false
    public static let rollsBackNrFreeOnIsolatedFree = true
    public static let isolateSubtractsMoved = true
    public static let isolationAdjustsNrFree = true
    public static let splitOfIsolatedSubtracts = false
    public static let offlineSubtracts = false
    public static let offlineDecrementsNrFree = false
    public static let safeWatermarkSubtractsIsolatedBlocks = false
    public static let nrFreeCountsIsolateLists = false
    public static let splitOfIsolatedChecksWatermark = true
    /// Drift this design lets happen: NR_FREE_PAGES follows the lists; its defect is in `nr_free` (`nr_free_blocks_drift`).
    public static let declaredDrift: DriftingCounters = []
}
