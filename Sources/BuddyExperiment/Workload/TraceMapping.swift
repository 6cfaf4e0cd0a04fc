import BuddyCore
import BuddyTrace

/// Kernel trace values → engine request types.
enum TraceMapping {
    /// `migratetype` of `mm_page_alloc` (`ac.migratetype`, from `gfp_migratetype()`) → request
    /// type; nil for anything but the three request types.
    static func allocType(_ migratetype: Int, _ numbering: MigratetypeNumbering) -> AllocType? {
        switch (numbering, migratetype) {
        case (_, 0): .unmovable
        case (.v4_4, 1), (.pre4_4, 2): .movable
        case (.v4_4, 2), (.pre4_4, 1): .reclaimable
        default: nil
        }
    }
}
