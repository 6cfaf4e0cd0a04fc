import BuddyCore

/// Design A — v3.5 as Minchan found it: isolated free pages stay in NR_FREE_PAGES; isolation
/// moves list membership only; `__offline_isolated_pages` subtracts what it takes.
///
/// Consequence (Aaditya Kumar, 2012-06): `zone_watermark_ok_safe` sees a zone whose free pages
/// are all isolated as balanced, kswapd sleeps, direct reclaim livelocks.
public enum AccountingOriginal: IsolatedFreeAccounting {
    public static let id = "A-original"
    public static let summary = "isolated free pages counted as free (v3.5)"
    public static let countsFreeIntoIsolate = true
    public static let rollsBackNrFreeOnIsolatedFree = false
    public static let isolateSubtractsMoved = false
    public static let isolationAdjustsNrFree = false
    public static let splitOfIsolatedSubtracts = true
    public static let offlineSubtracts = true
    public static let offlineDecrementsNrFree = true
    public static let safeWatermarkSubtractsIsolatedBlocks = false
    public static let nrFreeCountsIsolateLists = true
    public static let splitOfIsolatedChecksWatermark = true
    /// Drift this design lets happen: isolated free pages stay counted (the design), and isolating a CMA block moves its pages off the CMA lists without touching NR_FREE_CMA_PAGES.
    public static let declaredDrift: DriftingCounters = [.nrFreePages, .nrFreeCMAPages]
}
