import BuddyCore

/// Zi Yan, "mm/page_isolation: make page isolation a standalone bit" (3370f8ab4502, 2025; the
/// optimisation his v11 cover letter of 2022-04-25 left for later): PB_migrate_isolate is a
/// pageblock bit beside PB_migrate_0..2, so isolating a block no longer overwrites its
/// migratetype and un-isolation (including `start_isolate_page_range`'s undo after a failure in
/// the middle of a range) leaves every block its own type.
public enum IsolateStandaloneBit: IsolationRepresentation {
    public static let id = "isolate-bit"
    public static let summary = "PB_migrate_isolate beside the migratetype; un-isolation keeps each block's type"
    public static let standaloneBit = true
}
