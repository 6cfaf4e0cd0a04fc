import BuddyCore
import BuddyVariants
import Testing

/// `__setup_per_zone_wmarks` with a Movable zone: Debian's 6.12.118 mm/page_alloc.c leaves
/// ZONE_MOVABLE out of `lowmem_pages` and caps its WMARK_MIN at `clamp(managed / 1024,
/// SWAP_CLUSTER_MAX, 128)`, its low/high gap still `max(tmp / 4, managed · 10 / 10000)` of its
/// uncapped share `tmp`; 6.1.192 treats Movable as lowmem (`is_highmem()` is false on x86_64).
/// Found by the x86_64 oracle with `movablecore=512M` on 6.12 (Movable's min 89 on the kernel,
/// 267 on the simulator after an offline). DMA32 and Movable of 65536 pages, 32768-page blocks.
@Suite struct MovableWatermarkTests {
    static let layout = MachineLayout(geometry: .x86_64, ramStartPfn: 0,
                                      zones: [ZoneSpec(name: "DMA32", pages: 65536), ZoneSpec(name: "Movable", pages: 65536)],
                                      memoryBlockPages: 32768)

    /// Boot: pages_min 724 (int_sqrt(524288 kB · 16) = 2896 kB). 6.12: lowmem 65536, so DMA32's
    /// share is all 724 (gap max(181, 65) = 181: high 1086) and Movable's share 724 too, its min
    /// clamp(64, 32, 128) = 64, low 64 + 181, high 64 + 362. Offlining Movable's last block:
    /// Σ (managed − high) over the zones up to Normal = 65536 − 1086 = 64450 pages = 257800 kB →
    /// int_sqrt(4124800) = 2030 kB → 507 pages; DMA32 min 507, high 507 + 2·126; Movable's share
    /// 507 · 32768 / 65536 = 253, min clamp(32, 32, 128) = 32, gap max(63, 32) = 63.
    @Test func linux612CapsMovable() {
        let m = Machine<Linux612>(layout: Self.layout)
        #expect([m.zone[0].wmarkMin, m.zone[0].wmarkHigh] == [724, 1086])
        #expect([m.zone[1].wmarkMin, m.zone[1].wmarkLow, m.zone[1].wmarkHigh] == [64, 245, 426])
        #expect(m.offlineBlock(3).result == .ok)
        #expect([m.zone[0].wmarkMin, m.zone[0].wmarkHigh] == [507, 759])
        #expect([m.zone[1].wmarkMin, m.zone[1].wmarkLow, m.zone[1].wmarkHigh] == [32, 95, 158])
    }

    /// 6.1: both zones lowmem, 362 each at boot (high 542); after the offline Σ = 65536 − 542 =
    /// 64994 pages → int_sqrt(4159616) = 2039 kB → 509 pages over 98304 managed: DMA32 339,
    /// Movable 169.
    @Test func linux61TreatsMovableAsLowmem() {
        let m = Machine<Linux61>(layout: Self.layout)
        #expect([m.zone[0].wmarkMin, m.zone[1].wmarkMin, m.zone[1].wmarkHigh] == [362, 362, 542])
        #expect(m.offlineBlock(3).result == .ok)
        #expect([m.zone[0].wmarkMin, m.zone[1].wmarkMin] == [339, 169])
    }
}
