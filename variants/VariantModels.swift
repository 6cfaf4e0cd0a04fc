import BuddyCore

/// What each variant models exactly — a tag, a posted series, or a Debian kernel with the stable
/// backports that matter here — and whether a running kernel ever checked it (issue 18 item 9).
/// `buddylab variants`, the report's "Variants" section and the README print these lines; a
/// variant of `Variants.all` without an entry fails `VariantModelsTests`.
public struct VariantModel: Sendable, Equatable {
    /// The kernel source the variant follows.
    public let models: String
    /// The running kernel its whole state was compared with, or why none was.
    public let checked: String
}

extension Variants {
    static let notRun = "not checked against a running kernel (read from the source only)"

    public static let models: [String: VariantModel] = [
        "linux-3.5": VariantModel(models: "v3.5 tag", checked: notRun),
        "minchan-2012-06-18": VariantModel(models: "Minchan Kim's patch of 2012-06-18 on v3.5 (never merged)", checked: notRun),
        "minchan-2012": VariantModel(models: "Minchan Kim's seed patch of 2012-06-20 on v3.5 (compile-tested only, never merged)", checked: notRun),
        "linux-3.6": VariantModel(models: "v3.6 tag (702d1a6e0766)", checked: notRun),
        "linux-3.7": VariantModel(models: "v3.7 tag's accounting (2139cbe627b8) without v3.7's safe-watermark term (design D, kept on its own variant)", checked: notRun),
        "linux-3.8": VariantModel(models: "v3.8 tag (a458431e176d)", checked: notRun),
        "linux-3.18": VariantModel(models: "v3.18 tag (3c605096d315, ad53f92eb416; cma_init_reserved_mem from de9e14eebf33)", checked: notRun),
        "linux-4.6": VariantModel(models: "v4.6's merge rule (d9dddbf55667) on the v5.18 allocator — not v4.6's own allocator or hotplug", checked: notRun),
        "linux-5.18": VariantModel(models: "v5.18 tag", checked: "no 5.18 kernel run; reports/calibration.md replays the 6.1 kernel's cases on it to show where they differ"),
        "zi-yan-v11": VariantModel(models: "the v11 series as posted 2022-04-25 on v5.18-rc (never merged as is)", checked: notRun),
        "linux-5.19": VariantModel(models: "v5.19 tag (b2c9e2fbba32 + 88ee134320b8, 9b209e557d69, 86d28b070927)",
                                   checked: "no 5.19 kernel run; against Debian 6.1.192 it differs only where 6.0's 80e2b584f3ab does (README)"),
        "linux-6.1": VariantModel(models: "Debian 12's 6.1.192 (v6.1 + stable backports; here: the PCP_BATCH_SCALE_MAX cap of v6.7, backported to 6.1.104; HIGHATOMIC cap still v4.4's)",
                                  checked: "lockstep against Debian 6.1.192 under UML, per-cpu lists off: 0 mismatches"),
        "gorman-2023": VariantModel(models: "linux-6.1 (Debian 6.1.192) without the 2025 fix: Mel Gorman's v6.3 reserve access (1ebbb21811b7), ALLOC_HIGHATOMIC for every non-blocking high-order request",
                                    checked: notRun),
        "linux-6.9": VariantModel(models: "v6.9 tag (PCP high auto-tuning of v6.7; scattered accounting)", checked: notRun),
        "linux-6.10": VariantModel(models: "v6.10 tag (Johannes Weiner's freelist migratetype hygiene)", checked: "no 6.10 kernel run; against Debian 6.12.117 it agrees until v6.11's free split (README)"),
        "linux-6.12": VariantModel(models: "Debian 13's 6.12.y (6.12.117 when checked: v6.12 + stable backports; here: 6.15's __rmqueue_claim / __rmqueue_steal split, Yu Zhao's nr_free_highatomic)",
                                   checked: "lockstep against Debian 6.12.117 and 6.12.118 under UML, per-cpu lists off: 0 mismatches"),
        "weiner-defrag-mode": VariantModel(models: "linux-6.12 (Debian 13's 6.12.y) with v6.15's vm.defrag_mode = 1 as read from the series and its two v6.15 fixes (docs/defrag-mode.md) — not a v6.15 kernel",
                                           checked: notRun),
        "weiner-defrag-mode-nofragment": VariantModel(models: "linux-6.12 with patch 3/5 of the defrag_mode series only (an intermediate step, never a release)",
                                                      checked: notRun),
        "linux-6.17": VariantModel(models: "linux-6.12 plus 3370f8ab4502 (standalone isolate bit, merged for v6.17 as far as this project established)",
                                   checked: "not checked against any 6.17 kernel"),
    ]

    /// The entry of `id` (a variant without one reads as unchecked).
    public static func model(_ id: String) -> VariantModel {
        models[id] ?? VariantModel(models: "see its file in variants/", checked: notRun)
    }
}
