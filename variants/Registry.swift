import BuddyCore

/// A named combination of one design per axis. Ids are stable: experiments and stored results
/// refer to them. Adding a design is one file in `variants/` plus one line in `Variants.all`.
public struct Variant: Sendable, Identifiable {
    public let id: String
    /// Upstream reference: release, commit or lore thread.
    public let upstream: String
    public let summary: String
    public let alignment: String
    public let accounting: String
    public let merge: String
    public let era: String
    /// Today's axes (Strategies+PerCPU.swift): free-list accounting and isolation representation.
    public let freeLists: String
    public let isolation: String
    /// Reserve access of gfp masks (AllocationContext.swift).
    public let reserves: String
    /// `vm.defrag_mode` (Strategies+DefragMode.swift).
    public let defrag: String
    /// The specialised event loop; the generic parameters are fixed here, once.
    public let run: @Sendable (Program, RunOptions) -> RawRun
    /// The variant's strategy set, for tools that drive a `Machine` themselves (the oracle).
    public let strategies: any StrategySet.Type
    /// The same loop one event at a time (`buddylab diverge`, `shrink`).
    public let stepper: @Sendable (Program, RunOptions) -> any ProgramStepper

    public init<A: ContigAlignment, C: IsolatedFreeAccounting, M: MergeRules, E: KernelEra>(
        _ id: String, _: A.Type, _: C.Type, _: M.Type, _: E.Type, upstream: String, summary: String
    ) {
        self.id = id; self.upstream = upstream; self.summary = summary
        alignment = A.id; accounting = C.id; merge = M.id; era = E.id
        freeLists = FreeListsScattered.id; isolation = IsolateAsMigratetype.id; reserves = ReserveAccessHarder.id
        defrag = DefragModeOff.id
        run = { program, options in Simulation<Combine<A, C, M, E>>(program, options: options).run() }
        strategies = Combine<A, C, M, E>.self
        stepper = { program, options in SimulationStepper<Combine<A, C, M, E>>(program, options: options) }
    }

    /// A variant that is its own `StrategySet` type (one file in `variants/` naming every axis),
    /// for kernels that differ on more axes than `Combine` spells out.
    public init<S: StrategySet>(_ id: String, _: S.Type, upstream: String, summary: String) {
        self.id = id; self.upstream = upstream; self.summary = summary
        alignment = S.Alignment.id; accounting = S.Accounting.id; merge = S.Merge.id; era = S.Era.id
        freeLists = S.FreeLists.id; isolation = S.Isolation.id; reserves = S.Reserves.id
        defrag = S.Defrag.id
        run = { program, options in Simulation<S>(program, options: options).run() }
        strategies = S.self
        stepper = { program, options in SimulationStepper<S>(program, options: options) }
    }
}

public enum Variants {
    public static let all: [Variant] = [
        Variant("linux-3.5", MaxOrderAlignment.self, AccountingOriginal.self, MergeRules2012.self, Era2012.self,
                upstream: "v3.5", summary: "2012 original: isolated free pages counted as free"),
        Variant("minchan-2012-06-18", MaxOrderAlignment.self, AccountingIsolateTimeAdjust.self, MergeRules2012.self, Era2012.self,
                upstream: "lore: [resend][PATCH] mm, vmscan: fix do_try_to_free_pages() livelock (2012-06-18)",
                summary: "NR_FREE_PAGES adjusted at isolate/un-isolate; offline still subtracts"),
        Variant("minchan-2012", MaxOrderAlignment.self, AccountingNonCounting.self, MergeRules2012.self, Era2012.self,
                upstream: "lore: Accounting problem of MIGRATE_ISOLATED freed page (2012-06-20)",
                summary: "isolated free pages in neither NR_FREE_PAGES nor nr_free (seed patch)"),
        Variant("linux-3.6", MaxOrderAlignment.self, AccountingIsolateBlockCount.self, MergeRules2012.self, Era2012.self,
                upstream: "v3.6, 702d1a6e0766", summary: "nr_pageblock_isolate subtracted in zone_watermark_ok_safe"),
        Variant("linux-3.7", MaxOrderAlignment.self, AccountingMoveTime37.self, MergeRules2012.self, Era2012.self,
                upstream: "v3.7, 2139cbe627b8", summary: "move-time accounting; offline double decrement"),
        Variant("linux-3.8", MaxOrderAlignment.self, AccountingMoveTime.self, MergeRules2012.self, Era2012.self,
                upstream: "v3.8 (Wen Congyang's NR_FREE_PAGES mismatch fix, a458431e176d)",
                summary: "move-time accounting, offline no longer subtracts"),
        Variant("linux-3.18", MaxOrderAlignment.self, AccountingMoveTime.self, MergeRules318.self, Era2014.self,
                upstream: "v3.18, 3c605096d315 + ad53f92eb416 (Joonsoo Kim)",
                summary: "merge cap when freeing into an ISOLATE block; the buddy's type unchecked"),
        Variant("linux-4.6", MaxOrderAlignment.self, AccountingMoveTime.self, MergeRules46.self, Era2022.self,
                upstream: "v4.6, d9dddbf55667 (with a v5.x allocator)",
                summary: "no merging between isolated and other pageblocks"),
        Variant("linux-5.18", MaxOrderAlignment.self, AccountingMoveTime.self, MergeRules518.self, Era2022.self,
                upstream: "v5.18, 1dd214b8f21c", summary: "max-order aligned alloc_contig_range and CMA"),
        Variant("zi-yan-v11", PageblockAlignmentV11.self, AccountingMoveTime.self, MergeRules518.self, Era2022.self,
                upstream: "lore: [PATCH v11 0/6] Use pageblock_order for cma and alloc_contig_range alignment (2022-04-25)",
                summary: "pageblock alignment as posted (Qian Cai's hang/crash)"),
        Variant("linux-5.19", PageblockAlignment.self, AccountingMoveTime.self, MergeRules518.self, Era2022.self,
                upstream: "v5.19, b2c9e2fbba32 + 88ee134320b8, 9b209e557d69, 86d28b070927",
                summary: "pageblock alignment with the fixes"),
        Variant("linux-6.1", Linux61.self, upstream: "v6.1 (Debian 12)", summary: "v6.1 per-cpu pagesets; pcp pages cache their migratetype"),
        Variant("gorman-2023", Gorman2023.self, upstream: "1ebbb21811b7 (Mel Gorman, v6.3) without the 2025 ALLOC_HIGHATOMIC fix", summary: "linux-6.1 with GFP_NOWAIT order > 0 requests reserving HIGHATOMIC blocks"),
        Variant("linux-6.9", Linux69.self, upstream: "v6.9", summary: "auto-tuned pcp high; scattered accounting, pcp migratetype cache"),
        Variant("linux-6.10", Linux610.self, upstream: "v6.10, freelist migratetype hygiene (Johannes Weiner)", summary: "accounting in the list primitives; no pcp migratetype cache"),
        Variant("linux-6.12", Linux612.self, upstream: "v6.12 (Debian 13)", summary: "linux-6.10 plus nr_free_highatomic (Yu Zhao 2024), free split into pageblocks, claim-then-steal fallback"),
        Variant("weiner-defrag-mode", WeinerDefragMode.self,
                upstream: "v6.15: e3aa7df331bc, 101f9d666e4d, a211c6550efc + fixes 7a95a05f15d5, a1f0220f3319 (Johannes Weiner, \"mm: reliable huge page allocator\")",
                summary: "linux-6.12 with vm.defrag_mode = 1: no partial-block fallback before reclaim/compaction; kswapd/kcompactd produce free pageblocks"),
        Variant("weiner-defrag-mode-nofragment", WeinerDefragModeNoFragmentOnly.self,
                upstream: "patch 3/5 of lore 20250313210647.1314586-1-hannes@cmpxchg.org (e3aa7df331bc + 7a95a05f15d5) alone",
                summary: "linux-6.12 with defrag_mode's ALLOC_NOFRAGMENT only; kswapd/kcompactd as in linux-6.12"),
        Variant("linux-6.17", Linux617.self, upstream: "3370f8ab4502 (Zi Yan, 2025)", summary: "standalone isolate bit: un-isolation keeps each block's type"),
    ]

    public static func named(_ id: String) -> Variant? { all.first { $0.id == id } }
    public static var ids: [String] { all.map(\.id) }
}
