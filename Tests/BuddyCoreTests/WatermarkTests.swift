import Testing
import BuddyCore
import BuddyVariants

@Suite struct WatermarkTests {
    /// min_free_kbytes for 8 MiB: int_sqrt(8192*16) = 362 → 90 pages; low 112, high 135 (v3.8;
    /// the v4.6+ gap is in KernelFaithfulnessTests).
    @Test func watermarksFollowTheKernelFormula() {
        let m = Machine<Linux38>(layout: smallLayout())
        #expect(m.zone[0].wmarkMin == 90)
        #expect(m.zone[0].wmarkLow == 112)
        #expect(m.zone[0].wmarkHigh == 135)
    }

    /// experiments/README.md "Watermarks", 4 GiB example: min_free_kbytes int_sqrt(4194304 × 16)
    /// = 8192 → min 2048 pages in every era; v3.8 (`__setup_per_zone_wmarks`, min·5/4 / min·3/2)
    /// 2560 / 3072; v5.19 (795ae7a0de6b, watermark_scale_factor 10) gap max(512, 1048) → 3096 / 4144.
    @Test func watermarksPerEraMatchTheSchemaReference() {
        let l = MachineLayout(geometry: .x86_64, ramStartPfn: 0, zones: [ZoneSpec(name: "Normal", pages: 1 << 20)],
                              memoryBlockPages: 1 << 15)
        let old = Machine<Linux38>(layout: l), new = Machine<Mainline519>(layout: l)
        #expect([old.zone[0].wmarkMin, old.zone[0].wmarkLow, old.zone[0].wmarkHigh] == [2048, 2560, 3072])
        #expect([new.zone[0].wmarkMin, new.zone[0].wmarkLow, new.zone[0].wmarkHigh] == [2048, 3096, 4144])
    }

    /// Aaditya's condition: every free page of the zone is isolated. Under 3.5 the isolated
    /// pages are still in NR_FREE_PAGES and kswapd's check says ok (a misjudgement); under
    /// 3.8 they are excluded and the check fails; 3.6 subtracts nr_pageblock_isolate × 512.
    @Test func watermarkFlipsWithIsolatedPagesCountedOrNot() {
        func check<S: StrategySet>(_: S.Type) -> (Bool, Int) {
            let m = Machine<S>(layout: smallLayout())
            let r = m.startIsolatePageRange(0, 2048, restore: .movable)
            #expect(r.moved == 2048)
            let ok = m.watermarkOK(zone: 0, order: 0, mark: m.zone[0].wmarkHigh, allocCMA: true, safe: true)
            return (ok, m.stats.watermarkMisjudgements)
        }
        #expect(check(Linux35.self) == (true, 1))
        #expect(check(Linux36.self) == (false, 0))
        #expect(check(Linux38.self) == (false, 0))
        #expect(check(Mainline518.self) == (false, 0))
    }

    /// E2012 high-order loop subtracts nr_free[k] << k for k below the order, isolated blocks
    /// included; v4.4+ needs a block of the order on a non-ISOLATE list.
    @Test func highOrderCheckIgnoresIsolatedBlocksFrom44() {
        let m = Machine<Mainline518>(layout: smallLayout())
        _ = m.setMigratetypeIsolate(0x400)            // order-10 at 0x400 → ISOLATE list
        _ = m.setMigratetypeIsolate(0x0)              // order-10 at 0x0 → ISOLATE list
        #expect(m.nrFree[10] == 2)
        #expect(!m.watermarkOK(zone: 0, order: 10, mark: 0, allocCMA: true, safe: false))
    }
}
