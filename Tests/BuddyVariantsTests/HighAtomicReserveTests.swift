import BuddyCore
import BuddyVariants
import Testing

/// `reserve_highatomic_pageblock()` (v6.1 / v6.12 mm/page_alloc.c) and the reserve's term in
/// `__zone_watermark_unusable_free()`.
@Suite struct HighAtomicReserveTests {
    /// v6.8+ (d68e39fc45f7; v6.12 mm/page_alloc.c `reserve_highatomic_pageblock`): 1 % of a
    /// 128 MiB zone (327 pages) is less than a pageblock: no reserve at all.
    @Test func aZoneUnderHundredPageblocksReservesNothing() {
        func first<S: StrategySet>(_: S.Type) -> (OpResult, Int, MigrateType) {
            let m = Machine<S>(layout: layout(pages: 32768, block: 32768))
            return (m.reserveHighatomicPageblock(0x0), m.zone[0].nrReservedHighatomic, m.blockType(0x0))
        }
        for r in [first(Linux69.self), first(Linux612.self)] { #expect(r.0 == .fail && r.1 == 0 && r.2 == .movable) }
    }

    /// Before v6.8 — v5.19 and Debian's 6.1.192 (`reserve_highatomic_pageblock`:
    /// `max_managed = zone_managed_pages(zone) / 100 + pageblock_nr_pages`, no bail-out): the
    /// same 128 MiB zone reserves while the reserve is under 327 + 512 = 839 pages — two blocks.
    @Test func beforeV68ASmallZoneReservesUpToOnePercentPlusAPageblock() {
        func reserves<S: StrategySet>(_: S.Type) -> ([OpResult], Int) {
            let m = Machine<S>(layout: layout(pages: 32768, block: 32768))
            let r = [m.reserveHighatomicPageblock(0x0), m.reserveHighatomicPageblock(0x200), m.reserveHighatomicPageblock(0x400)]
            #expect(m.structuralViolations().isEmpty)
            return (r, m.zone[0].nrReservedHighatomic)
        }
        for r in [reserves(Linux61.self), reserves(V519.self)] {
            #expect(r.0 == [.ok, .ok, .fail])
            #expect(r.1 == 1024)
        }
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
