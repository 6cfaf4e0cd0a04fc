import Testing
import BuddyCore
import BuddyVariants

/// §3.3 E2012 `__zone_watermark_ok`, written out so every intermediate value can be pinned:
/// the free count after `free_pages -= (1 << o) - 1`, then after each
/// `free_pages -= nr_free[k] << k` (k < o, `min >>= 1` each time), stopping where it fails.
func e2012WatermarkTrace(freePages: Int, nrFree: [Int], order: Int, mark: Int) -> (values: [Int], ok: Bool) {
    var free = freePages - ((1 << order) - 1), min = mark
    var values = [free]
    if free <= min { return (values, false) }
    for k in 0..<order {
        free -= nrFree[k] << k
        min >>= 1
        values.append(free)
        if free <= min { return (values, false) }
    }
    return (values, true)
}

/// §10 case 9 (a): the E2012 high-order loop subtracts `nr_free[k] << k` for every k below the
/// request, isolated blocks included. Once NR_FREE_PAGES excludes isolated pages (E: 3.7,
/// F: 3.8) the check is pessimistic by exactly the isolated pages of orders below the request.
///
/// Zone of 4096 pages (x86_64, WMARK_MIN 128): [0x000, 0x400) and [0x800, 0xc00) allocated;
/// P0 = [0x400, 0x600) and P1 = [0x600, 0x800) each hold one allocated page at their start, so
/// each has 511 free pages as one block of every order 0…8, and both are then isolated;
/// [0xc00, 0x1000) is one free order-10 block on MOVABLE. Request: order 9 against WMARK_MIN.
@Suite struct HighOrderWatermarkE2012Tests {
    func machine<S: StrategySet>(_: S.Type) -> Machine<S> {
        let m = Machine<S>(layout: layout())
        for base in [0x000, 0x800] {
            #expect(m.allocate(atPfn: base, order: 10, type: .unmovable, compound: false).0 == .ok)
        }
        for base in [0x400, 0x600] {
            #expect(m.allocate(atPfn: base, order: 0, type: .movable, compound: false).0 == .ok)
        }
        #expect(m.setMigratetypeIsolate(0x400) == 511)
        #expect(m.setMigratetypeIsolate(0x600) == 511)
        #expect(m.listContents(zone: 0, order: 10, .movable) == [0xc00])
        #expect(m.zone[0].allocatableFree == 1024 && m.zone[0].isolatedFree == 1022)
        return m
    }

    struct Outcome: Equatable {
        var nrFreePages: Int
        var nrFree: [Int]
        var trace: [Int]
        var ok: Bool
        var drift: Int
    }

    /// The order-9 check as the engine makes it, next to the written-out formula on the same
    /// counters; then the real order-9 allocation, which the check gates.
    func outcome<S: StrategySet>(_: S.Type) -> Outcome {
        let m = machine(S.self)
        #expect(m.zone[0].wmarkMin == 128)
        let nr = (0...10).map { m.nrFree[$0] }
        let t = e2012WatermarkTrace(freePages: m.zone[0].nrFreePages, nrFree: nr, order: 9, mark: 128)
        let ok = m.watermarkOK(zone: 0, order: 9, mark: 128, allocCMA: true, safe: false)
        #expect(ok == t.ok)
        let out = Outcome(nrFreePages: m.zone[0].nrFreePages, nrFree: nr, trace: t.values, ok: ok, drift: drift(m))
        let h = m.allocate(zone: 0, order: 9, type: .movable)
        #expect((h >= 0) == ok)
        #expect(m.structuralViolations().isEmpty)
        return out
    }

    static let withIsolated = [2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 1]

    /// Design A (3.5): isolated pages inside NR_FREE_PAGES *and* nr_free, so the loop takes back
    /// exactly what the count added; the final value (513) is the truth's.
    @Test func linux35PassesWithTheTruthsFinalValue() {
        #expect(outcome(V35.self) == Outcome(
            nrFreePages: 2046, nrFree: Self.withIsolated,
            trace: [1535, 1533, 1529, 1521, 1505, 1473, 1409, 1281, 1025, 513], ok: true, drift: 1022))
        // v3.6's fast path (design D changes only the _safe check) is design A here.
        #expect(outcome(V36.self).trace == outcome(V35.self).trace)
    }

    /// Designs E and F: the counter is exact (drift 0) but nr_free still holds the 1022 isolated
    /// pages; the loop subtracts them anyway and fails at k = 8. Each value is the truth's 513
    /// minus the isolated pages of orders ≤ k (2 × (2^(k+1) − 1)), ending at 513 − 1022 = −509,
    /// although a free order-10 block sits on MOVABLE; the order-9 allocation is refused.
    @Test func linux37And38FailByTheIsolatedPages() {
        let pessimistic = Outcome(
            nrFreePages: 1024, nrFree: Self.withIsolated,
            trace: [513, 511, 507, 499, 483, 451, 387, 259, 3, -509], ok: false, drift: 0)
        #expect(outcome(V37.self) == pessimistic)
        #expect(outcome(V38.self) == pessimistic)
        // Minchan's 2012-06-18 design subtracts at isolation too: same counters, same failure.
        #expect(outcome(V0618.self) == pessimistic)
    }

    /// Design C (Minchan 2012-06-20) takes isolated blocks out of nr_free as well: the loop sees
    /// only allocatable blocks (none below order 9) and agrees with the truth.
    @Test func minchan2012ExcludesThemFromBothCounters() {
        #expect(outcome(VMinchan.self) == Outcome(
            nrFreePages: 1024, nrFree: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
            trace: [513, 513, 513, 513, 513, 513, 513, 513, 513, 513], ok: true, drift: 0))
    }
}

/// §10 case 9 (b): from v4.4 the high-order part asks for a non-empty PCPTYPES (or CMA) list at
/// an order ≥ the request; a block that sits only on the ISOLATE list does not count, although
/// nr_free includes it.
///
/// Zone of 4096 pages: P0 = [0x000, 0x200) and P1 = [0x200, 0x400) each hold one allocated page
/// at their start (2 × 511 free pages in orders 0…8, MOVABLE); [0x400, 0x600) is an allocated
/// order-9 page, so [0x600, 0x800) is a free order-9 block whose buddy is busy; [0x800, 0x1000)
/// allocated. Request: order 9 against WMARK_MIN (128).
@Suite struct HighOrderWatermarkV44Tests {
    func machine<S: StrategySet>(_: S.Type) -> Machine<S> {
        let m = Machine<S>(layout: layout())
        for base in [0x000, 0x200] {
            #expect(m.allocate(atPfn: base, order: 0, type: .movable, compound: false).0 == .ok)
        }
        #expect(m.allocate(atPfn: 0x400, order: 9, type: .unmovable, compound: false).0 == .ok)
        for base in [0x800, 0xc00] {
            #expect(m.allocate(atPfn: base, order: 10, type: .unmovable, compound: false).0 == .ok)
        }
        #expect(m.zone[0].nrFreePages == 1534)
        #expect((0...10).map { m.nrFree[$0] } == [2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 0])
        return m
    }

    /// (order-9 check, order-0 check, NR_FREE_PAGES, nr_free[9]) with the block on MOVABLE, after
    /// isolating its pageblock, and after un-isolating it again.
    struct Phases: Equatable {
        var movable: [Int]
        var isolated: [Int]
        var restored: [Int]
    }

    func phases<S: StrategySet>(_: S.Type) -> Phases {
        let m = machine(S.self)
        func probe() -> [Int] {
            [m.watermarkOK(zone: 0, order: 9, mark: 128, allocCMA: true, safe: false) ? 1 : 0,
             m.watermarkOK(zone: 0, order: 0, mark: 128, allocCMA: true, safe: false) ? 1 : 0,
             m.zone[0].nrFreePages, m.nrFree[9]]
        }
        #expect(m.listContents(zone: 0, order: 9, .movable) == [0x600])
        let movable = probe()
        #expect(m.setMigratetypeIsolate(0x600) == 512)
        #expect(m.listContents(zone: 0, order: 9, .isolate) == [0x600])
        #expect(m.listContents(zone: 0, order: 9, .movable).isEmpty)
        let isolated = probe()
        #expect(m.allocate(zone: 0, order: 9, type: .movable) == -1)
        #expect(drift(m) == 0)
        #expect(m.unsetMigratetypeIsolate(0x600, to: .movable) == 512)
        let restored = probe()
        #expect(drift(m) == 0)
        #expect(m.structuralViolations().isEmpty)
        return Phases(movable: movable, isolated: isolated, restored: restored)
    }

    /// Same order-9 block, same nr_free[9] = 1: on MOVABLE it satisfies the check, on ISOLATE it
    /// does not — and the count part still passes (order 0 ok; 1022 − 511 = 511 > 128), so it
    /// is the list test that refuses.
    @Test func isolateListBlockDoesNotSatisfyFrom44() {
        let expected = Phases(movable: [1, 1, 1534, 1], isolated: [0, 1, 1022, 1], restored: [1, 1, 1534, 1])
        #expect(phases(V518.self) == expected)
        #expect(phases(V519.self) == expected)
        #expect(phases(V46.self) == expected)
        #expect(phases(V11.self) == expected)
    }

    /// The same isolated state under E2012 checks. Design A still counts the isolated block and
    /// never looks at lists, so the check passes (1025 − 1024 = 1 > 0 after k = 8) where the
    /// truth fails (a misjudgement); design F fails, as the truth does.
    @Test func e2012ContrastOnTheSameState() {
        func isolatedTrace<S: StrategySet>(_: S.Type) -> (trace: [Int], ok: Bool, misjudged: Int) {
            let m = machine(S.self)
            #expect(m.setMigratetypeIsolate(0x600) == 512)
            let t = e2012WatermarkTrace(freePages: m.zone[0].nrFreePages, nrFree: (0...10).map { m.nrFree[$0] },
                                        order: 9, mark: 128)
            let ok = m.watermarkOK(zone: 0, order: 9, mark: 128, allocCMA: true, safe: false)
            #expect(ok == t.ok)
            #expect(m.structuralViolations().isEmpty)
            return (t.values, ok, m.stats.watermarkMisjudgements)
        }
        let a = isolatedTrace(V35.self)
        #expect(a.trace == [1023, 1021, 1017, 1009, 993, 961, 897, 769, 513, 1])
        #expect(a.ok && a.misjudged == 1)
        let f = isolatedTrace(V38.self)
        #expect(f.trace == [511, 509, 505, 497, 481, 449, 385, 257, 1, -511])
        #expect(!f.ok && f.misjudged == 0)
    }
}
