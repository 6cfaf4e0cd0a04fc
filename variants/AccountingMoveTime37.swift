import BuddyCore

/// Design E — v3.7, 2139cbe627b8 "cma: fix counting of isolated pages" (Bartlomiej
/// Zolnierkiewicz): move-time accounting (isolate −moved, un-isolate +moved), frees into ISOLATE
/// blocks not counted, `split_free_page` skips ISOLATE blocks — but `__offline_isolated_pages`
/// still subtracts: the offline double decrement (−N per offline+online cycle) Wen Congyang
/// reported ("this bug cause oom in my test").
///
/// v3.7 as shipped also kept design D's safe-watermark subtraction; buddylab keeps the axes
/// separate and models E on its own (the registry's linux-3.7 is E alone; see README).
public enum AccountingMoveTime37: IsolatedFreeAccounting {
    public static let id = "E-move-time-3.7"
    public static let summary = "move-time accounting, offline still subtracts (v3.7, 2139cbe627b8)"
    public static let countsFreeIntoIsolate = false
    public static let rollsBackNrFreeOnIsolatedFree = false
    public static let isolateSubtractsMoved = true
    public static let isolationAdjustsNrFree = false
    public static let splitOfIsolatedSubtracts = false
    public static let offlineSubtracts = true
    public static let offlineDecrementsNrFree = true
    public static let safeWatermarkSubtractsIsolatedBlocks = false
    public static let nrFreeCountsIsolateLists = true
    public static let splitOfIsolatedChecksWatermark = true
    /// Drift this design lets happen: the offline double decrement.
    public static let declaredDrift: DriftingCounters = [.nrFreePages, .nrFreeCMAPages]
}
