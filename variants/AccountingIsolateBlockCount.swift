import BuddyCore

/// Design D — v3.6, 702d1a6e0766 "memory-hotplug: fix kswapd looping forever problem" (Minchan
/// Kim, suggested by KOSAKI Motohiro): NR_FREE_PAGES as in v3.5, plus `nr_pageblock_isolate`;
/// `zone_watermark_ok_safe` subtracts `nr_pageblock_isolate × pageblock_nr_pages`.
///
/// Differs from v3.5: only kswapd's safe check changes, and it assumes every isolated block is
/// wholly free ("never accurate"). Removed in v3.8 by a458431e176d.
public enum AccountingIsolateBlockCount: IsolatedFreeAccounting {
    public static let id = "D-isolate-block-count"
    public static let summary = "safe watermark subtracts isolated pageblocks (v3.6, 702d1a6e0766)"
    public static let countsFreeIntoIsolate = true
    public static let rollsBackNrFreeOnIsolatedFree = false
    public static let isolateSubtractsMoved = false
    public static let isolationAdjustsNrFree = false
    public static let splitOfIsolatedSubtracts = true
    public static let offlineSubtracts = true
    public static let offlineDecrementsNrFree = true
    public static let safeWatermarkSubtractsIsolatedBlocks = true
    public static let nrFreeCountsIsolateLists = true
    public static let splitOfIsolatedChecksWatermark = true
    /// Drift this design lets happen: NR_FREE_PAGES as in v3.5: isolated free pages stay counted.
    public static let declaredDrift: DriftingCounters = [.nrFreePages, .nrFreeCMAPages]
}
