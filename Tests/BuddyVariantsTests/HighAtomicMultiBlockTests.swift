import BuddyCore
import BuddyVariants
import Testing

/// HIGHATOMIC typing of an allocation larger than a pageblock. Debian's 6.12.118
/// `reserve_highatomic_pageblock(page, order, zone)`: for `order >= pageblock_order`
/// `change_pageblock_range(page, order, MIGRATE_HIGHATOMIC)` and `nr_reserved_highatomic += 1 <<
/// order`; Debian's 6.1.192 sets the head's pageblock only (`set_pageblock_migratetype` +
/// `move_freepages_block`) and adds a pageblock. Found by the 6.12 oracle (`--edges`, seed 3,
/// command 552, `alloc 10 unmovable high,comp`: pageblock 0xfe00 HIGHATOMIC on the kernel only).
@Suite struct HighAtomicMultiBlockTests {
    /// 256 MiB zone (cap: ALIGN(655, 512) = 1024 on 6.12; 655 + 512 on 6.1), an order-10 block at
    /// 0x400 allocated (unmovable) and reserved as a request of order 10 would be.
    func reserve<S: StrategySet>(_: S.Type) -> (Machine<S>, OpResult, handle: Int) {
        let m = Machine<S>(layout: layout(pages: 65536, block: 32768))
        let (a, h) = m.allocate(atPfn: 0x400, order: 10, type: .unmovable, compound: true)
        #expect(a == .ok)
        return (m, m.reserveHighatomicPageblock(0x400, order: 10), h)
    }

    @Test func linux612TypesBothPageblocksAndReservesTheOrder() {
        let (m, r, _) = reserve(Linux612.self)
        #expect(r == .ok)
        #expect(m.blockType(0x400) == .highatomic && m.blockType(0x600) == .highatomic)
        #expect(m.zone[0].nrReservedHighatomic == 1024)
        #expect(m.structuralViolations().isEmpty)
    }

    @Test func linux61TypesOnlyTheHeadPageblock() {
        let (m, r, _) = reserve(Linux61.self)
        #expect(r == .ok)
        #expect(m.blockType(0x400) == .highatomic && m.blockType(0x600) == .movable)
        #expect(m.zone[0].nrReservedHighatomic == 512)
        #expect(m.structuralViolations().isEmpty)
    }

    /// `unreserve_highatomic_pageblock` on 6.12.118: the freed order-10 HIGHATOMIC block moves to
    /// the requester's list whole (`move_to_free_list`), both pageblocks are retyped and the
    /// reserve shrinks by `min(max(pageblock, 2^10), reserve)` = 1024.
    @Test func linux612UnreservesTheWholeBlock() {
        let (m, _, h) = reserve(Linux612.self)
        m.free(handle: h)
        #expect(m.listContents(zone: 0, order: 10, .highatomic) == [0x400])
        #expect(m.unreserveHighatomicPageblock(zone: 0, .unmovable, force: false))
        #expect(m.listContents(zone: 0, order: 10, .unmovable) == [0x400])
        #expect(m.blockType(0x400) == .unmovable && m.blockType(0x600) == .unmovable)
        #expect(m.zone[0].nrReservedHighatomic == 0)
        #expect(m.structuralViolations().isEmpty)
    }
}
