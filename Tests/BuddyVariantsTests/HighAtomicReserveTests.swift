import BuddyCore
import BuddyVariants
import Testing

/// `reserve_highatomic_pageblock()` (v6.1 / v6.12 mm/page_alloc.c) and the reserve's term in
/// `__zone_watermark_unusable_free()`.
@Suite struct HighAtomicReserveTests {
    /// 1 % of a 128 MiB zone (327 pages) is less than a pageblock: from v6.8 (linux-6.10) no
    /// reserve at all; v4.4 … v6.7 and Debian's 6.1.192 cap at 327 + 512 = 839 pages, so two
    /// pageblocks are reserved (0 and 512 are below the cap, 1024 is not).
    @Test func aZoneUnderHundredPageblocksReservesNothingFromV68() {
        let m = Machine<Linux610>(layout: layout(pages: 32768, block: 32768))
        #expect(m.reserveHighatomicPageblock(0x0) == .fail)
        #expect(m.zone[0].nrReservedHighatomic == 0)
        #expect(m.blockType(0x0) == .movable)
        let old = Machine<Linux61>(layout: layout(pages: 32768, block: 32768))
        #expect([old.reserveHighatomicPageblock(0x0), old.reserveHighatomicPageblock(0x200),
                 old.reserveHighatomicPageblock(0x400)] == [.ok, .ok, .fail])
        #expect(old.zone[0].nrReservedHighatomic == 1024)
    }

    /// 256 MiB: at most ALIGN(655, 512) = 1024 pages; each reserve retypes the block, moves its
    /// free pages to the HIGHATOMIC lists (NR_FREE_PAGES unchanged: they are still free) and
    /// adds a pageblock; a HIGHATOMIC block is not mergeable and is not reserved twice.
    @Test func reservesUpToOnePercentRoundedToPageblocks() {
        for tracked in [false, true] {
            let r = tracked ? run(Linux612.self) : run(Linux610.self)
            #expect(r.results == [.ok, .fail, .ok, .fail])
            #expect(r.reserved == 1024)
            #expect(r.freeHighatomic == 1024)
            #expect(r.nrFree == 65536)
            // Every reserved page free: both terms subtract 1024.
            #expect(r.unusable == 1024)
        }
    }

    func run<S: StrategySet>(_: S.Type) -> (results: [OpResult], reserved: Int, freeHighatomic: Int, nrFree: Int, unusable: Int) {
        let m = Machine<S>(layout: layout(pages: 65536, block: 32768))
        let results = [m.reserveHighatomicPageblock(0x0), m.reserveHighatomicPageblock(0x1ff),
                       m.reserveHighatomicPageblock(0x200), m.reserveHighatomicPageblock(0x400)]
        #expect(m.blockType(0x0) == .highatomic && m.blockType(0x200) == .highatomic && m.blockType(0x400) == .movable)
        #expect(m.structuralViolations().isEmpty)
        return (results, m.zone[0].nrReservedHighatomic, m.truthFreeHighatomic(zone: 0), m.zone[0].nrFreePages,
                m.highatomicUnusable(zone: 0))
    }

    /// Once the reserve is in use the terms part: `nr_reserved_highatomic` still 512,
    /// `nr_free_highatomic` 0.
    @Test func aReserveInUseCountsOnlyInTheOldTerm() {
        let old = Machine<Linux610>(layout: layout(pages: 65536, block: 32768))
        let new = Machine<Linux612>(layout: layout(pages: 65536, block: 32768))
        _ = old.allocate(atPfn: 0x200, order: 9, type: .movable, compound: nil)
        _ = new.allocate(atPfn: 0x200, order: 9, type: .movable, compound: nil)
        #expect(old.reserveHighatomicPageblock(0x0) == .ok && new.reserveHighatomicPageblock(0x0) == .ok)
        #expect(old.allocate(atPfn: 0x0, order: 9, type: .unmovable, compound: nil).0 == .ok)
        #expect(new.allocate(atPfn: 0x0, order: 9, type: .unmovable, compound: nil).0 == .ok)
        #expect(old.highatomicUnusable(zone: 0) == 512)
        #expect(new.highatomicUnusable(zone: 0) == 0)
    }
}
