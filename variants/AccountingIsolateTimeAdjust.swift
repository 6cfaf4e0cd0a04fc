import BuddyCore

/// Design B — Minchan Kim's 2012-06-18 patch in "[resend][PATCH] mm, vmscan: fix
/// do_try_to_free_pages() livelock" (never merged): `set_migratetype_isolate` subtracts the pages
/// `move_freepages_block` moved, `unset_migratetype_isolate` adds them back; nothing else changes.
///
/// Differs from v3.5: isolation/un-isolation adjust NR_FREE_PAGES. Aaditya's objection: offline
/// un-isolates after the pages left the buddy, so nothing is added back while
/// `__offline_isolated_pages` still subtracts — each offline+online cycle loses the F0 pages
/// that were free at isolation, driving NR_FREE_PAGES negative.
public enum AccountingIsolateTimeAdjust: IsolatedFreeAccounting {
    public static let id = "B-isolate-adjust"
    public static let summary = "NR_FREE_PAGES −moved at isolate, +moved at un-isolate (Minchan 2012-06-18)"
    public static let countsFreeIntoIsolate = true
    public static let rollsBackNrFreeOnIsolatedFree = false
    public static let isolateSubtractsMoved = true
    public static let isolationAdjustsNrFree = false
    public static let splitOfIsolatedSubtracts = true
    public static let offlineSubtracts = true
    public static let offlineDecrementsNrFree = true
    public static let safeWatermarkSubtractsIsolatedBlocks = false
    public static let nrFreeCountsIsolateLists = true
    public static let splitOfIsolatedChecksWatermark = true
    /// Drift this design lets happen: frees into ISOLATE blocks still count, and offline subtracts what isolation already did (Aaditya's objection).
    public static let declaredDrift: DriftingCounters = [.nrFreePages, .nrFreeCMAPages]
}
