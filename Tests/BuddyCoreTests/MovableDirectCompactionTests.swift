import Testing
import BuddyCore
import BuddyVariants

/// The oracle driver's direct compaction with a Movable zone: its mask has no `__GFP_HIGHMEM`,
/// so `gfp_zone()` is ZONE_NORMAL even for a movable request and `try_to_compact_pages()` walks
/// the zonelist from Normal down — Movable is not compacted (Debian 6.1.192 pc `--movablecore
/// 512M`, seed 1, `compact 5 movable async` at command 62: the kernel's Normal changed its
/// compaction state, Movable's did not).
@Suite struct MovableDirectCompactionTests {
    /// Normal and Movable of 0x1000 pages, every other page pinned: plenty free, no order-5 block,
    /// nothing to migrate — compaction runs and completes without success in every zone it tries,
    /// and sync_light defers it there (`defer_compaction`: defer_shift 0 → 1). Returns each zone's
    /// defer_shift.
    func deferShifts(highestZone: Int?) -> [Int] {
        var layout = smallLayout(zones: [ZoneSpec(name: "Normal", pages: 0x1000), ZoneSpec(name: "Movable", pages: 0x1000)])
        layout.perCPUListsEnabled = false
        let m = Machine<Linux61>(layout: layout)
        for pfn in stride(from: 0, to: 0x2000, by: 2) {
            #expect(m.allocate(atPfn: pfn, order: 0, type: .unmovable, compound: false).0 == .ok)
        }
        let r = m.directCompactForDriver(order: 5, type: .movable, priority: .syncLight, highestZone: highestZone)
        #expect(r.handle == -1)
        return (0..<2).map { m.compactionView(zone: $0, skipStart: m.zone[$0].startPfn, blocks: 8).fields.deferShift }
    }

    @Test func theDriversRequestLeavesMovableAlone() {
        #expect(deferShifts(highestZone: 0) == [1, 0])
        // a request whose zonelist starts at Movable (GFP_HIGHUSER_MOVABLE) would try both
        #expect(deferShifts(highestZone: nil) == [1, 1])
    }
}
