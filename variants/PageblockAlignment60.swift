import BuddyCore

/// The v5.19 pageblock alignment (`PageblockAlignment`) as it stands from v6.0: 80e2b584f3ab
/// makes `isolate_single_pageblock` pass the caller's migratetype to `set_migratetype_isolate`
/// instead of the boundary block's own (cited from the `faithful` branch, which adds the
/// `ContigAlignment.boundaryIsolatesWithSavedMigratetype` hook; until that merge the member
/// below is unused and this design behaves as `PageblockAlignment`).
public enum PageblockAlignment60: ContigAlignment {
    public static let id = "pageblock-6.0"
    public static let summary = "pageblock alignment, boundary isolated with the caller's migratetype (v6.0+)"
    public static func isolationOrder(_ g: Geometry) -> Int { g.pageblockOrder }
    public static let boundary = BoundaryHandling.fixed
    public static let boundaryIsolatesWithSavedMigratetype = false
}
