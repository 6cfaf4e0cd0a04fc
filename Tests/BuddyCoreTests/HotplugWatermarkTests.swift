import BuddyCore
import Testing

/// The marks after memory offline/online: `offline_pages()`/`online_pages()` call
/// `init_per_zone_wmark_min()`, whose `calculate_min_free_kbytes()` sizes `lowmem_kbytes` by
/// `nr_free_buffer_pages()` — Σ managed − `high_wmark_pages()` over the zones up to Normal
/// (v6.1 mm/page_alloc.c). At boot the marks are 0, so that is the managed total; after
/// hotplug the old high marks count. Found by the x86_64 oracle (issue 26): DMA32's min was
/// 332 on 6.1.192 where the simulator said 333.
@Suite struct HotplugWatermarkTests {
    /// DMA32 and Normal of 65536 pages each, 32768-page blocks. Boot: lowmem 131072 pages =
    /// 524288 kB, int_sqrt(524288·16) = 2896 kB → 724 pages, 362 per zone; gap max(362/4,
    /// 65536·10/10000) = 90, so high = 542. Offlining Normal's last block: Σ (managed − high) =
    /// (65536 − 542) + (32768 − 542) = 97220 pages = 388880 kB, int_sqrt(388880·16) = 2494 kB →
    /// 623 pages; DMA32 623·65536/98304 = 415, Normal 623·32768/98304 = 207 (the managed total
    /// alone would give 418 and 209).
    @Test func offlineRecomputesFromManagedLessTheOldHighMarks() {
        let layout = MachineLayout(geometry: .x86_64, ramStartPfn: 0,
                                   zones: [ZoneSpec(name: "DMA32", pages: 65536), ZoneSpec(name: "Normal", pages: 65536)],
                                   memoryBlockPages: 32768)
        let m = Machine<Mainline519>(layout: layout)
        #expect(m.zone[0].wmarkMin == 362 && m.zone[1].wmarkMin == 362 && m.zone[1].wmarkHigh == 542)
        #expect(m.offlineBlock(3).result == .ok)
        #expect(m.zone[1].managedPages == 32768)
        #expect(m.zone[0].wmarkMin == 415 && m.zone[1].wmarkMin == 207)
        // Online again with the post-offline highs: DMA32 415 + 2·max(103, 65) = 621, Normal
        // 207 + 2·max(51, 32) = 309; Σ = 64915 + 65227 = 130142 pages → int_sqrt(520568·16) =
        // 2886 kB → 721 pages → 360 per zone: below the boot value 362, the block is back but
        // the marks are not.
        #expect(m.zone[0].wmarkHigh == 621 && m.zone[1].wmarkHigh == 309)
        #expect(m.onlineBlock(3).result == .ok)
        #expect(m.zone[0].wmarkMin == 360 && m.zone[1].wmarkMin == 360)
    }
}
