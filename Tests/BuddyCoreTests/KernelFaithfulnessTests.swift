import Testing
import BuddyCore
import BuddyVariants

/// Issue 10: engine behaviour the curated cases did not exercise, pinned to the kernel code at
/// the version each era claims. One test per row; each names the function and the tag.
@Suite struct KernelFaithfulnessTests {
    /// Row 1 — `steal_suitable_fallback()` (mm/page_alloc.c, v4.13–v6.x): an UNMOVABLE request
    /// falling back to a MOVABLE pageblock counts every page that is neither free nor movable as
    /// alike (`pageblock_nr_pages - (free_pages + movable_pages)`). Block P0 holds 128 free pages
    /// and 384 unmovable ones: 128 + 384 ≥ 256, so the block is claimed UNMOVABLE.
    @Test func unmovableFallbackCountsNonMovablePagesOfAMovableBlockAsAlike() {
        let m = Machine<Mainline518>(layout: smallLayout(pages: 1024))
        let h = fillCompletely(m)
        for p in 0..<128 { m.free(handle: h[p]!) }
        #expect(m.listContents(zone: 0, order: 7, .movable) == [0])
        let got = m.allocate(zone: 0, order: 0, type: .unmovable)
        #expect(m.handlePfn[got] == 0)
        #expect(m.blockType(0) == .unmovable)
        #expect(m.blockType(0x200) == .movable)
        #expect(m.structuralViolations().isEmpty)
    }

    /// Row 2 — v5.10+ list-tail placement. `__free_pages_core` frees boot memory with FPI_TO_TAIL
    /// (7fef431be9c9), so the order-10 list reads in ascending pfn order; v3.x freed to the head.
    /// `move_to_free_list` is `list_move_tail` (293ffa5ebb9c): isolating 0x0 then 0x400 leaves
    /// the ISOLATE list as [0x0, 0x400] on 5.18, [0x400, 0x0] on 3.8.
    @Test func era2022PlacesBootFreesAndMovesAtTheListTail() {
        let new = Machine<Mainline518>(layout: smallLayout())
        let old = Machine<Linux38>(layout: smallLayout())
        #expect(new.listContents(zone: 0, order: 10, .movable) == [0x0, 0x400])
        #expect(old.listContents(zone: 0, order: 10, .movable) == [0x400, 0x0])
        for m in [new] as [Machine<Mainline518>] {
            _ = m.setMigratetypeIsolate(0x0); _ = m.setMigratetypeIsolate(0x400)
            #expect(m.listContents(zone: 0, order: 10, .isolate) == [0x0, 0x400])
        }
        _ = old.setMigratetypeIsolate(0x0); _ = old.setMigratetypeIsolate(0x400)
        #expect(old.listContents(zone: 0, order: 10, .isolate) == [0x400, 0x0])
    }

    /// Row 2 — online (`generic_online_page` → `__free_pages_core`, FPI_TO_TAIL) and the
    /// un-isolation move (`move_to_free_list` = `list_move_tail`), v5.10+: a block offlined and
    /// onlined again comes back *behind* the block that stayed online.
    @Test func era2022OnlinedBlockGoesBehindTheOthers() {
        let m = Machine<Mainline518>(layout: smallLayout())
        #expect(m.offlineBlock(0).result == .ok)
        #expect(m.onlineBlock(0).result == .ok)
        #expect(m.listContents(zone: 0, order: 10, .movable) == [0x400, 0x0])
        #expect(m.structuralViolations().isEmpty)
    }

    /// Row 6 — `online_pages()` (mm/memory_hotplug.c, v5.10+): `nr_isolate_pageblock +=
    /// nr_pages / pageblock_nr_pages` unconditionally, balancing the subtraction in
    /// `offline_pages()`; after any number of cycles the count is back to 0.
    @Test func offlineOnlineCyclesLeaveNrIsolatePageblockAtZero() {
        let m = Machine<Mainline518>(layout: smallLayout())
        for _ in 0..<3 {
            #expect(m.offlineBlock(1).result == .ok)
            #expect(m.zone[0].nrIsolatePageblock == 0)
            #expect(m.onlineBlock(1).result == .ok)
            #expect(m.zone[0].nrIsolatePageblock == 0)
        }
        #expect(m.structuralViolations().isEmpty)
    }

    /// Row 7 — `move_freepages()` (v4.13+, 02aa0cdd): `num_movable` counts each pfn for which
    /// `PageLRU` holds, and PageLRU is a PF_HEAD flag, so every tail of an LRU compound page
    /// counts; a non-compound movable block counts its head alone.
    @Test func numMovableCountsEveryPageOfAnLRUCompoundPage() {
        let m = Machine<Mainline518>(layout: smallLayout())
        #expect(m.allocate(atPfn: 0x10, order: 3, type: .movable, compound: true).0 == .ok)
        #expect(m.allocate(atPfn: 0x20, order: 3, type: .movable, compound: false).0 == .ok)
        #expect(m.allocate(atPfn: 0x30, order: 0, type: .unmovable, compound: false).0 == .ok)
        #expect(m.moveFreepagesBlock(0x0, to: .movable).movable == 8 + 1)
        // An order-10 compound page seen from its second pageblock: 512 tails there.
        let m2 = Machine<Mainline518>(layout: smallLayout())
        #expect(m2.allocate(atPfn: 0x400, order: 10, type: .movable, compound: true).0 == .ok)
        #expect(m2.moveFreepagesBlock(0x600, to: .movable).movable == 512)
        #expect(m2.moveFreepagesBlock(0x400, to: .movable).movable == 512)
    }

    /// Row 8 — `zone_watermark_ok_safe()` passes alloc_flags 0 (v4.4–v6.x): without ALLOC_CMA the
    /// free CMA pages are subtracted. A zone whose only free memory is CMA is not balanced.
    @Test func kswapdCheckSubtractsFreeCMAPages() {
        let m = Machine<Mainline518>(layout: smallLayout(pages: 4096))
        #expect(m.activateCMA(name: "c", basePfn: 0x800, pages: 0x800) == .ok)
        for p in 0..<0x800 { _ = m.allocate(atPfn: p, order: 0, type: .unmovable, compound: false) }
        #expect(m.zone[0].nrFreePages == 0x800 && m.zone[0].nrFreeCMAPages == 0x800)
        #expect(!m.kswapdWatermarkOK(zone: 0, order: 0, mark: m.zone[0].wmarkHigh))
        #expect(m.watermarkOK(zone: 0, order: 0, mark: m.zone[0].wmarkHigh, allocCMA: true, safe: true))
    }

    /// Row 9 — `__setup_per_zone_wmarks()`: before v4.6 low = min + min/4, high = min + min/2;
    /// from v4.6 (795ae7a0de6b) the gap is `max(min/4, mult_frac(managed, 10, 10000))` and
    /// high = min + 2·gap. 8 MiB: min 90, gap 22 → low 112, high 134 (3.8: 112, 135). 4 GiB:
    /// min_free_kbytes int_sqrt(4194304·16) = 8192 → min 2048, gap max(512, 1048) = 1048 →
    /// low 3096, high 4144 (3.8: 2560, 3072).
    @Test func watermarkGapFollowsWatermarkScaleFactorFrom46() {
        let small = Machine<Mainline518>(layout: smallLayout())
        #expect([small.zone[0].wmarkMin, small.zone[0].wmarkLow, small.zone[0].wmarkHigh] == [90, 112, 134])
        let small38 = Machine<Linux38>(layout: smallLayout())
        #expect([small38.zone[0].wmarkMin, small38.zone[0].wmarkLow, small38.zone[0].wmarkHigh] == [90, 112, 135])
        let big = Machine<Mainline518>(layout: smallLayout(pages: 1 << 20))
        #expect([big.zone[0].wmarkMin, big.zone[0].wmarkLow, big.zone[0].wmarkHigh] == [2048, 3096, 4144])
        let big38 = Machine<Linux38>(layout: smallLayout(pages: 1 << 20))
        #expect([big38.zone[0].wmarkMin, big38.zone[0].wmarkLow, big38.zone[0].wmarkHigh] == [2048, 2560, 3072])
    }

    /// Row 9 — `init_per_zone_wmark_min()`: the computed min_free_kbytes is clamped to 65536
    /// before v5.7 and to 262144 after (59d336bdf693). 512 GiB of 64 KiB pages: int_sqrt(
    /// 536870912·16) = 92681 KiB → min 1448 pages on 5.18, 65536 KiB = 1024 pages on 3.8.
    @Test func minFreeKbytesCapPerEra() {
        let layout = MachineLayout(geometry: .arm64_64k, ramStartPfn: 0,
                                   zones: [ZoneSpec(name: "Normal", pages: 1 << 23)], memoryBlockPages: 1 << 13)
        #expect(Machine<Mainline518>(layout: layout).zone[0].wmarkMin == 92681 >> 6)
        #expect(Machine<Linux38>(layout: layout).zone[0].wmarkMin == 65536 >> 6)
    }

    /// Row 15 — `zone_page_state()` clamps a negative vmstat counter to 0 (CONFIG_SMP). A design
    /// that drove NR_FREE_CMA_PAGES to −600 must not have the watermark check *add* 600 pages:
    /// with 100 pages free and mark 600 the check fails. The rmqueue CMA balance reads the same
    /// clamped values.
    @Test func watermarkReadsCountersClampedAtZero() {
        let m = Machine<Mainline518>(layout: smallLayout())
        for p in 100..<2048 { _ = m.allocate(atPfn: p, order: 0, type: .unmovable, compound: false) }
        #expect(m.zone[0].nrFreePages == 100)
        m.zone[0].nrFreeCMAPages = -600
        #expect(m.zonePageState(m.zone[0].nrFreeCMAPages) == 0)
        #expect(!m.watermarkOK(zone: 0, order: 0, mark: 600, allocCMA: false, safe: false))
    }

    /// Row 15 — v5.x `__rmqueue()`: movable requests go to CMA first when
    /// `zone_page_state(NR_FREE_CMA_PAGES) > zone_page_state(NR_FREE_PAGES) / 2`. With
    /// NR_FREE_PAGES driven to −100 and no free CMA counted, the clamped reading is 0 > 0: the
    /// request is served from the MOVABLE list, not CMA.
    @Test func cmaBalanceReadsCountersClampedAtZero() {
        let m = Machine<Mainline518>(layout: smallLayout())
        #expect(m.activateCMA(name: "c", basePfn: 0x400, pages: 0x400) == .ok)
        m.zone[0].nrFreePages = -100
        m.zone[0].nrFreeCMAPages = 0
        #expect(m.rmqueue(zone: 0, order: 0, .movable).from == .movable)
    }
}
