import BuddyCore
import BuddyVariants
import Testing

/// The allocation context per era (Machine+SlowPath.swift, AllocationContext.swift), on one
/// 256 MiB zone: min_free_kbytes = int_sqrt(262144 × 16) = 2048 → min 512 pages, low 640
/// (min + max(min/4, 65536 × 10 / 10000); v3.6: min × 5/4) in every era here.
///
/// Reserve arithmetic of `__zone_watermark_ok` for min 512:
/// - v3.6 (`gfp_to_alloc_flags`: ALLOC_HARDER for every `!__GFP_WAIT` request), v4.4–v6.2
///   (ALLOC_HARDER only for `__GFP_ATOMIC`, d0164adc89f6): ALLOC_HIGH `min -= min/2` → 256, then
///   ALLOC_HARDER `min -= min/4` → 192 (alone: 384).
/// - v6.3 (Mel Gorman, 1ebbb21811b7; Debian 6.1.192): ALLOC_MIN_RESERVE → 256, with
///   ALLOC_NON_BLOCK as well → 192; ALLOC_NON_BLOCK alone (GFP_NOWAIT) leaves 512.
@Suite struct AllocationContextTests {
    typealias V61 = Linux61

    /// A 256 MiB zone with exactly `free` free pages: 63 max-order blocks pinned, then
    /// `1024 − free` pages of the last block pinned in descending powers of two from pfn 0, so
    /// the free pages are the tail of block 0 and nothing sits on a per-cpu list.
    func machine<S: StrategySet>(_: S.Type, free: Int) -> Machine<S> {
        let m = Machine<S>(layout: layout(pages: 65536, block: 32768))
        #expect(m.zone[0].wmarkMin == 512 && m.zone[0].wmarkLow == 640)
        for b in 1..<64 { #expect(m.allocate(atPfn: b << 10, order: 10, type: .movable, compound: nil).0 == .ok) }
        var rest = 1024 - free, pfn = 0
        for o in stride(from: 10, through: 0, by: -1) where rest & (1 << o) != 0 {
            #expect(m.allocate(atPfn: pfn, order: o, type: .movable, compound: nil).0 == .ok)
            pfn += 1 << o; rest -= 1 << o
        }
        #expect(m.zone[0].nrFreePages == free)
        return m
    }

    /// Whether one order-0 request with `mask` succeeds at `free` free pages.
    func succeeds<S: StrategySet>(_ s: S.Type, free: Int, _ mask: GFPMask, order: Int = 0) -> Bool {
        let m = machine(s, free: free)
        let type = mask.allocType ?? .unmovable
        return m.allocate(zone: nil, order: order, type: type, compound: nil, gfp: mask) >= 0
    }

    /// 300 free pages, between 3/8·min (192) and min (512): GFP_ATOMIC (ALLOC_HIGH|ALLOC_HARDER,
    /// or MIN_RESERVE|NON_BLOCK) passes at 192 in every era; GFP_KERNEL fails the fast path at
    /// LOW, the slow path at MIN, and — reclaim making no progress, no reserve to release, no
    /// OOM progress — ends `enomem`, counted once in `alloc_failures`, kswapd woken once.
    @Test func atomicSucceedsKernelFailsBelowMin() {
        #expect([succeeds(V38.self, free: 300, .atomicMask), succeeds(V519.self, free: 300, .atomicMask),
                 succeeds(Linux69.self, free: 300, .atomicMask), succeeds(V61.self, free: 300, .atomicMask),
                 succeeds(Linux612.self, free: 300, .atomicMask)] == [true, true, true, true, true])
        for fails in [kernelFailure(V38.self), kernelFailure(V519.self), kernelFailure(Linux69.self),
                      kernelFailure(V61.self), kernelFailure(Linux612.self)] {
            #expect(fails == Failure(handle: -1, allocFailures: 1, allocs: 0, kswapdWakeups: 1, free: 300))
        }
    }

    struct Failure: Equatable { var handle, allocFailures, allocs, kswapdWakeups, free: Int }

    func kernelFailure<S: StrategySet>(_ s: S.Type) -> Failure {
        let m = machine(s, free: 300)
        let allocsBefore = m.stats.allocs
        let h = m.allocate(zone: nil, order: 0, type: .unmovable, compound: nil, gfp: .kernel)
        return Failure(handle: h, allocFailures: m.stats.allocFailures, allocs: m.stats.allocs - allocsBefore,
                       kswapdWakeups: m.stats.kswapdWakeups, free: m.zone[0].nrFreePages)
    }

    /// Just below 3/8·min GFP_ATOMIC fails too: 192 ≤ 192 (`free_pages <= min`).
    @Test func atomicFailsAtThreeEighthsOfMin() {
        #expect([succeeds(V38.self, free: 192, .atomicMask), succeeds(V519.self, free: 192, .atomicMask),
                 succeeds(V61.self, free: 192, .atomicMask)] == [false, false, false])
        #expect([succeeds(V38.self, free: 193, .atomicMask), succeeds(V519.self, free: 193, .atomicMask),
                 succeeds(V61.self, free: 193, .atomicMask)] == [true, true, true])
    }

    /// GFP_NOWAIT at 400 free pages: v3.6 gives every `!__GFP_WAIT` request ALLOC_HARDER
    /// (min 384: 400 passes); v4.4–v6.2 only `__GFP_ATOMIC` (min 512: fails); v6.3 gives
    /// ALLOC_NON_BLOCK, which lowers min only together with ALLOC_MIN_RESERVE (fails).
    @Test func nowaitVersusAtomicPerEra() {
        #expect([succeeds(V38.self, free: 400, .nowait), succeeds(V519.self, free: 400, .nowait),
                 succeeds(Linux69.self, free: 400, .nowait), succeeds(V61.self, free: 400, .nowait)]
                == [true, false, false, false])
        #expect([succeeds(V38.self, free: 384, .nowait), succeeds(V38.self, free: 385, .nowait)] == [false, true])
        #expect([succeeds(V38.self, free: 400, .atomicMask), succeeds(V519.self, free: 400, .atomicMask),
                 succeeds(Linux69.self, free: 400, .atomicMask), succeeds(V61.self, free: 400, .atomicMask)]
                == [true, true, true, true])
    }

    /// `__GFP_HIGH`: with a blocking mask it halves min everywhere (256); on a non-blocking mask
    /// without `__GFP_ATOMIC` (GFP_NOWAIT | __GFP_HIGH) v4.4–v6.2 stop at 256, while v3.6
    /// (!__GFP_WAIT) and v6.3 (ALLOC_NON_BLOCK) take the further quarter (192).
    @Test func gfpHighPerEra() {
        let kernelHigh: GFPMask = [.kernel, .high], nowaitHigh: GFPMask = [.nowait, .high]
        #expect([succeeds(V38.self, free: 257, kernelHigh), succeeds(V519.self, free: 257, kernelHigh),
                 succeeds(V61.self, free: 257, kernelHigh)] == [true, true, true])
        #expect([succeeds(V38.self, free: 256, kernelHigh), succeeds(V519.self, free: 256, kernelHigh),
                 succeeds(V61.self, free: 256, kernelHigh)] == [false, false, false])
        #expect([succeeds(V38.self, free: 220, nowaitHigh), succeeds(V519.self, free: 220, nowaitHigh),
                 succeeds(Linux69.self, free: 220, nowaitHigh), succeeds(V61.self, free: 220, nowaitHigh)]
                == [true, false, true, true])
    }

    /// The fast path at LOW: at 700 free pages GFP_KERNEL is served without waking kswapd; at
    /// 600 (between min and low) the fast path fails, kswapd is woken, the slow path at MIN serves it.
    @Test func fastPathAtLowWakesKswapdBelowIt() {
        for (free, wakeups) in [(700, 0), (600, 1)] {
            let m = machine(V519.self, free: free)
            #expect(m.allocate(zone: nil, order: 0, type: .unmovable, compound: nil, gfp: .kernel) >= 0)
            #expect(m.stats.kswapdWakeups == wakeups)
            // GFP_NOWAIT without __GFP_KSWAPD_RECLAIM wakes nobody (ALLOC_KSWAPD is the mask's bit).
            let quiet = machine(V519.self, free: free)
            #expect(quiet.allocate(zone: nil, order: 0, type: .unmovable, compound: nil, gfp: .nowarn) >= 0)
            #expect(quiet.stats.kswapdWakeups == 0)
        }
    }

    /// `__GFP_NOFAIL` at `nopage:` gets `__alloc_pages_cpuset_fallback` with ALLOC_MIN_RESERVE
    /// (v6.3; ALLOC_HARDER before): at 300 pages it passes min 256 (v6.3) / 384 fails (v5.x
    /// ALLOC_HARDER alone: 512 − 128); below, the kernel would loop: a fault, and the request fails.
    @Test func nofailFallsBackThenRecordsTheLoop() {
        let nofail: GFPMask = [.kernel, .nofail]
        let m61 = machine(V61.self, free: 300)
        #expect(m61.allocate(zone: nil, order: 0, type: .unmovable, compound: nil, gfp: nofail) >= 0)
        #expect(m61.faults.isEmpty)
        let m519 = machine(V519.self, free: 300)
        #expect(m519.allocate(zone: nil, order: 0, type: .unmovable, compound: nil, gfp: nofail) == -1)
        #expect(m519.faults.map(\.kind) == ["nofail-no-progress"])
        // A non-blocking __GFP_NOFAIL is refused outright (WARN_ON_ONCE_GFP … goto fail): no fault.
        let nb = machine(V61.self, free: 100)
        #expect(nb.allocate(zone: nil, order: 0, type: .unmovable, compound: nil, gfp: [.nowait, .nofail]) == -1)
        #expect(nb.faults.isEmpty)
    }

    /// ALLOC_HIGHATOMIC (v6.3): at 608 free pages a GFP_NOWAIT order-3 request fails at LOW,
    /// succeeds at MIN and — before Cascardo's 2025 fix — reserves its pageblock
    /// (`reserve_highatomic_pageblock`: nr_reserved_highatomic 512). With the fix, and before
    /// v6.3 (no __GFP_ATOMIC: no ALLOC_HARDER), nothing is reserved. GFP_ATOMIC order 3 reserves
    /// in every era from v4.4.
    @Test func highOrderNonBlockingReservesHighatomic() {
        #expect(reserved(Gorman2023.self, .nowait) == 512)
        #expect(reserved(Linux69.self, .nowait) == 512)
        #expect(reserved(V61.self, .nowait) == 0)
        #expect(reserved(V519.self, .nowait) == 0)
        #expect(reserved(V519.self, .atomicMask) == 512)
        #expect(reserved(V61.self, .atomicMask) == 512)
        // v3.6 has no HIGHATOMIC.
        #expect(reserved(V38.self, .atomicMask) == 0)
    }

    func reserved<S: StrategySet>(_ s: S.Type, _ mask: GFPMask) -> Int {
        let m = machine(s, free: 608)
        #expect(m.allocate(zone: nil, order: 3, type: .unmovable, compound: nil, gfp: mask) >= 0)
        #expect(m.structuralViolations().isEmpty)
        return m.zone[0].nrReservedHighatomic
    }

    /// After the reserve: GFP_KERNEL | __GFP_NORETRY order 0 fails with 592 pages free (592 −
    /// 512 ≤ min; NORETRY gives up before `should_reclaim_retry`); plain GFP_KERNEL succeeds after
    /// `should_reclaim_retry` → `unreserve_highatomic_pageblock(ac, true)` (6.1.192: "Before OOM,
    /// exhaust highatomic_reserve"), which releases the block.
    @Test func reserveFailsNoretryButIsReleasedForKernel() {
        let m = machine(Gorman2023.self, free: 608)
        #expect(m.allocate(zone: nil, order: 3, type: .unmovable, compound: nil, gfp: .nowait) >= 0)
        #expect(m.zone[0].nrFreePages == 592 && m.zone[0].nrReservedHighatomic == 512)
        #expect(m.allocate(zone: nil, order: 0, type: .unmovable, compound: nil, gfp: [.kernel, .noretry]) == -1)
        #expect(m.zone[0].nrReservedHighatomic == 512)
        #expect(m.allocate(zone: nil, order: 0, type: .unmovable, compound: nil, gfp: .kernel) >= 0)
        #expect(m.zone[0].nrReservedHighatomic == 0)
        #expect(m.stats.allocFailures == 1)
        #expect(m.structuralViolations().isEmpty)
    }

    /// `rmqueue_buddy` with the slow path's flags (`try_this_zone` of `get_page_from_freelist`):
    /// GFP_ATOMIC order 4 (ALLOC_HIGHATOMIC) takes MIGRATE_HIGHATOMIC first; GFP_KERNEL's flags
    /// take the normal lists. (The fast path at LOW carries no reserve flag: there the reserve is
    /// never used first.)
    @Test func highatomicRequestsUseTheReserveFirst() {
        let m = Machine<V61>(layout: layout(pages: 65536, block: 32768))
        #expect(m.allocate(atPfn: 0x0, order: 9, type: .movable, compound: nil).0 == .ok)
        #expect(m.reserveHighatomicPageblock(0x200) == .ok)
        #expect(m.truthFreeHighatomic(zone: 0) == 512)
        let atomic = m.gfpToAllocFlags(.atomicMask, order: 4, .unmovable)
        #expect(atomic == [.minReserve, .nonBlock, .highatomic, .kswapd])
        let a = m.allocateBlock(zone: 0, order: 4, .unmovable, flags: atomic)
        #expect(a >= 0 && m.blockType(a) == .highatomic)
        #expect(m.truthFreeHighatomic(zone: 0) == 512 - 16)
        let k = m.allocateBlock(zone: 0, order: 4, .unmovable, flags: m.gfpToAllocFlags(.kernel, order: 4, .unmovable))
        #expect(k >= 0 && m.blockType(k) != .highatomic)
        #expect(m.truthFreeHighatomic(zone: 0) == 512 - 16)
    }

    /// `gfp_to_alloc_flags` per design for the masks of the tests above.
    @Test func allocFlagsPerDesign() {
        let v519 = Machine<V519>(layout: layout(pages: 65536, block: 32768))
        let g23 = Machine<Gorman2023>(layout: layout(pages: 65536, block: 32768))
        let fix = Machine<V61>(layout: layout(pages: 65536, block: 32768))
        #expect(v519.gfpToAllocFlags(.atomicMask, order: 3, .unmovable) == [.minReserve, .harder, .kswapd])
        #expect(v519.gfpToAllocFlags(.nowait, order: 3, .unmovable) == [.kswapd])
        #expect(g23.gfpToAllocFlags(.nowait, order: 3, .unmovable) == [.nonBlock, .highatomic, .kswapd])
        #expect(fix.gfpToAllocFlags(.nowait, order: 3, .unmovable) == [.nonBlock, .kswapd])
        #expect(fix.gfpToAllocFlags([.nowait, .nomemalloc], order: 3, .unmovable) == [.kswapd])
        #expect(fix.gfpToAllocFlags(.highuserMovable, order: 0, .movable) == [.kswapd, .cma])
    }

    /// `__gfp_pfmemalloc_flags`: `__GFP_MEMALLOC` gets ALLOC_NO_WATERMARKS at `retry:` (the check
    /// is made, then ignored), `__GFP_NOMEMALLOC` cancels it; at 100 free pages only the former
    /// succeeds (v6.1.192 `__alloc_pages_slowpath`).
    @Test func memallocIgnoresWatermarks() {
        #expect(succeeds(V61.self, free: 100, [.kernel, .memalloc]))
        #expect(!succeeds(V61.self, free: 100, [.kernel, .memalloc, .nomemalloc]))
        #expect(succeeds(V519.self, free: 100, [.nowait, .memalloc]))
    }

    /// Costly orders (> PAGE_ALLOC_COSTLY_ORDER) stop after reclaim and compaction unless
    /// `__GFP_RETRY_MAYFAIL`; with it, `should_reclaim_retry` and its forced unreserve run. An
    /// order-4 GFP_KERNEL request below min fails either way here, once, with no fault.
    @Test func costlyOrdersFailWithoutLooping() {
        for mask: GFPMask in [.kernel, [.kernel, .retryMayfail], [.kernel, .noretry]] {
            let m = machine(V61.self, free: 400)
            #expect(m.allocate(zone: nil, order: 4, type: .unmovable, compound: nil, gfp: mask) == -1)
            #expect(m.stats.allocFailures == 1 && m.faults.isEmpty)
        }
    }
}
