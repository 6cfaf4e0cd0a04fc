import Testing
import BuddyCore
import BuddyVariants

/// `reserve_highatomic_pageblock()` on a pageblock whose first pfn the zone does not span (a
/// PC's ZONE_DMA starts at pfn 1, so its block 0 straddles the zone start). Found by the x86_64
/// oracle (6.1.192 pc, seed 3, command 768: `alloc 3 unmovable high` got 0x108 and reserved
/// block 0; the free page at 0x103 stayed on the UNMOVABLE list in the kernel, the model had
/// moved it).
/// - Debian 6.1.192 mm/page_alloc.c: the block is retyped and reserved, then
///   `move_freepages_block(zone, page, …)` starts at the allocated page's pfn, because
///   `zone_spans_pfn(zone, start_pfn)` is false — free pages below it stay where they are.
/// - Debian 6.12.118: `move_freepages_block()` → `prep_move_freepages_block()` returns -1 for
///   such a block and `reserve_highatomic_pageblock()` reserves nothing.
@Suite struct HighatomicZoneStartTests {
    func machine<S: StrategySet>(_: S.Type) -> Machine<S> {
        var layout = smallLayout(zones: [ZoneSpec(name: "DMA", pages: 0xfff, start: 1), ZoneSpec(name: "Normal", pages: 0x1000)])
        layout.perCPUListsEnabled = false
        let m = Machine<S>(layout: layout)
        // boot frees pfn 1 (order 0), 2 (1), 4 (2), …, 0x100 (8); take 0x108 order 3 out of 0x100
        #expect(m.allocate(atPfn: 0x108, order: 3, type: .unmovable, compound: false).0 == .ok)
        return m
    }

    func lists<S>(_ m: Machine<S>, _ mt: MigrateType) -> [Int] {
        (0...m.geometry.maxOrder).flatMap { m.listContents(zone: 0, order: $0, mt) }.filter { $0 < 0x200 }.sorted()
    }

    @Test func sixOneMovesFromTheAllocatedPage() {
        let m = machine(Linux61.self)
        #expect(m.reserveHighatomicPageblock(0x108, order: 3) == .ok)
        #expect(m.blockType(0x0) == .highatomic && m.zone[0].nrReservedHighatomic == 512)
        #expect(lists(m, .highatomic) == [0x110, 0x120, 0x140, 0x180])
        #expect(lists(m, .movable) == [0x1, 0x2, 0x4, 0x8, 0x10, 0x20, 0x40, 0x80, 0x100])
        #expect(m.structuralViolations().isEmpty)
    }

    @Test func sixTwelveReservesNothing() {
        let m = machine(Linux612.self)
        #expect(m.reserveHighatomicPageblock(0x108, order: 3) == .fail)
        #expect(m.blockType(0x0) == .movable && m.zone[0].nrReservedHighatomic == 0)
        #expect(lists(m, .highatomic) == [])
    }
}
