import Testing
import BuddyCore
import BuddyVariants

/// §10 case 7: offline/online cycles of one 128 MiB block (N = 32768 pages) on x86_64.
/// Per-cycle drift: A 0 / B −F0 / C 0 / D 0 / E −N / F 0.
@Suite struct OfflineOnlineDriftTests {
    static let n = 32768

    /// Two 128 MiB blocks; block 1 is cycled. `busyPages` of block 1 are movable order-9 pages.
    func cycle<S: StrategySet>(_: S.Type, busyPages: Int, cycles: Int = 1) -> (drift: Int, minCounter: Int) {
        let m = Machine<S>(layout: layout(pages: 2 * Self.n, block: Self.n))
        var p = Self.n
        while p < Self.n + busyPages {
            #expect(m.allocate(atPfn: p, order: 9, type: .movable, compound: true).0 == .ok); p += 512
        }
        var minCounter = Int.max
        for _ in 0..<cycles {
            #expect(m.offlineBlock(1).result == .ok)
            minCounter = min(minCounter, m.zone[0].nrFreePages)
            #expect(m.onlineBlock(1).result == .ok)
        }
        #expect(m.structuralViolations().isEmpty)
        return (drift(m), minCounter)
    }

    @Test func idleBlockFZeroEqualsN() {
        #expect(cycle(V35.self, busyPages: 0).drift == 0)
        #expect(cycle(V0618.self, busyPages: 0).drift == -32768)
        #expect(cycle(VMinchan.self, busyPages: 0).drift == 0)
        #expect(cycle(V36.self, busyPages: 0).drift == 0)
        #expect(cycle(V37.self, busyPages: 0).drift == -32768)
        #expect(cycle(V38.self, busyPages: 0).drift == 0)
        #expect(cycle(V518.self, busyPages: 0).drift == 0)
        #expect(cycle(V519.self, busyPages: 0).drift == 0)
    }

    @Test func halfBusyBlock() {
        #expect(cycle(V35.self, busyPages: Self.n / 2).drift == 0)
        #expect(cycle(V0618.self, busyPages: Self.n / 2).drift == -16384)
        #expect(cycle(VMinchan.self, busyPages: Self.n / 2).drift == 0)
        #expect(cycle(V36.self, busyPages: Self.n / 2).drift == 0)
        #expect(cycle(V37.self, busyPages: Self.n / 2).drift == -32768)
        #expect(cycle(V38.self, busyPages: Self.n / 2).drift == 0)
    }

    /// Aaditya's warning: repeated cycles under the 2012-06-18 design drive the counter negative.
    @Test func repeatedCyclesGoNegativeUnderMinchan0618() {
        let r = cycle(V0618.self, busyPages: 0, cycles: 3)
        #expect(r.drift == -3 * 32768)
        #expect(r.minCounter < 0)
        #expect(cycle(V38.self, busyPages: 0, cycles: 3).minCounter == 32768)
    }
}

/// §10 case 8: a MOVABLE zone whose free pages are all isolated.
@Suite struct IsolatedZoneWatermarkTests {
    func kswapdSaysBalanced<S: StrategySet>(_: S.Type) -> Bool {
        let m = Machine<S>(layout: layout(zones: [ZoneSpec(name: "Normal", pages: 1024),
                                                   ZoneSpec(name: "Movable", pages: 4096)]))
        for p in stride(from: 0, to: 1024, by: 512) { _ = m.allocate(atPfn: p, order: 9, type: .unmovable, compound: false) }
        #expect(m.startIsolatePageRange(1024, 5120, restore: .movable).moved == 4096)
        return m.watermarkOK(zone: 1, order: 0, mark: m.zone[1].wmarkHigh, allocCMA: true, safe: true)
    }

    @Test func livelockConditionOnlyUnder35() {
        #expect(kswapdSaysBalanced(V35.self) == true)
        #expect(kswapdSaysBalanced(V0618.self) == false)
        #expect(kswapdSaysBalanced(V36.self) == false)
        #expect(kswapdSaysBalanced(V38.self) == false)
        #expect(kswapdSaysBalanced(V519.self) == false)
    }
}
