import BuddyReport
import BuddyResults

/// A hand-built experiment: 3 variants × 3 seeds exercising every report section.
///
/// Chosen cases: `contig_successes` differs far beyond seed noise, `alloc_failures` and
/// `unusable_free_index` differ within noise, `mixed_pageblocks` has equal means but different
/// seeds, `nr_free_pages_drift` is an exact (constant) difference against a zero baseline, many
/// metrics are identical across variants, one metric is not in the catalog, ops disagree across
/// seeds, one variant faults more than the per-variant cap, and the drift series is negative.
enum ReportFixture {
    static let seeds: [UInt64] = [1, 2, 3]
    static let variants = ["linux-5.18", "zi-yan-v11", "linux-5.19"]

    /// metric → variant → values per seed.
    static let metrics: [String: [String: [Int]]] = [
        "events": same([2000, 2000, 2000]),
        "allocs": same([1500, 1510, 1490]),
        "frees": same([1400, 1405, 1395]),
        "alloc_failures": per([12, 15, 9], [14, 10, 13], [11, 16, 12]),
        "contig_attempts": same([50, 50, 50]),
        "contig_successes": per([10, 11, 9], [30, 31, 29], [30, 32, 28]),
        "contig_ebusy": per([40, 39, 41], [20, 19, 21], [20, 18, 22]),
        "pages_migrated": per([0, 0, 0], [512, 600, 480], [530, 610, 470]),
        "nr_free_pages": per([200000, 200100, 199900], [199488, 199588, 199388], [200000, 200100, 199900]),
        "free_pages_allocatable": same([200000, 200100, 199900]),
        "nr_free_pages_drift": per([0, 0, 0], [-512, -512, -512], [0, 0, 0]),
        "nr_free_pages_min": per([180000, 180050, 179950], [179000, 179100, 178900], [180010, 180020, 179990]),
        "watermark_misjudgements": per([0, 0, 0], [3, 2, 4], [0, 0, 0]),
        "isolated_free_pages": same([0, 0, 0]),
        "mixed_pageblocks": per([5, 6, 7], [5, 7, 6], [6, 5, 7]),
        "unusable_free_index": per([412, 398, 405], [420, 385, 402], [399, 410, 415]),
        "largest_free_order": same([10, 10, 10]),
        "faults": per([0, 0, 0], [22, 1, 0], [0, 0, 0]),
        "invariant_violations": same([0, 0, 0]),
        "isolate_retries": per([1, 1, 1], [2, 2, 2], [1, 1, 1]),
    ]

    static func same(_ v: [Int]) -> [String: [Int]] {
        ["linux-5.18": v, "zi-yan-v11": v, "linux-5.19": v]
    }

    static func per(_ base: [Int], _ zi: [Int], _ next: [Int]) -> [String: [Int]] {
        ["linux-5.18": base, "zi-yan-v11": zi, "linux-5.19": next]
    }

    /// op index → variant → results per seed.
    static let opResults: [(String, [String: [String]])] = [
        ("alloc", per3("ok", "ok", "ok")),
        ("isolate", per3("ok", "ok", "ok")),
        ("contig", ["linux-5.18": ["ebusy", "ebusy", "ebusy"], "zi-yan-v11": ["ok", "ok", "ok"],
                    "linux-5.19": ["ok", "ok", "ok"]]),
        ("watermark", ["linux-5.18": ["ok", "fail", "ok"], "zi-yan-v11": ["fail", "fail", "fail"],
                       "linux-5.19": ["ok", "ok", "ok"]]),
        ("offline", ["linux-5.18": ["ok", "ok", "ok"], "zi-yan-v11": ["fault", "ok", "ok"],
                     "linux-5.19": ["ok", "ok", "ok"]]),
    ]

    static func per3(_ a: String, _ b: String, _ c: String) -> [String: [String]] {
        ["linux-5.18": [a, a, a], "zi-yan-v11": [b, b, b], "linux-5.19": [c, c, c]]
    }

    static func faults(_ variant: String, _ seed: UInt64) -> [FaultRecord] {
        guard variant == "zi-yan-v11" else { return [] }
        switch seed {
        case 1:
            return (0..<22).map { i in
                FaultRecord(event: 1000 + i * 7, kind: "invalid-pfn",
                            detail: "struct page of pfn 0x\(String(0x8000 + i, radix: 16)) outside online memory")
            }
        case 2:
            return [FaultRecord(event: 4711, kind: "unbounded-loop",
                                detail: "__free_one_page | merged 1000000 times without progress")]
        default:
            return []
        }
    }

    static func extras(_ variant: String) -> RunExtras {
        let drift: [Int] = variant == "zi-yan-v11" ? [0, -128, -256, -384, -512] : [0, 0, 0, 0, 0]
        let bySuccess: [String: [Int]] = [
            "linux-5.18": [10, 8, 5, 2, 0], "zi-yan-v11": [10, 10, 9, 8, 6], "linux-5.19": [10, 10, 9, 8, 7],
        ]
        let long = (0..<40).map { i in variant == "linux-5.18" ? 10 - i % 4 : 10 - i % 3 }
        let normal: String
        switch variant {
        case "linux-5.18":
            normal = String(repeating: "U", count: 4) + String(repeating: "M", count: 120)
                + "UR" + String(repeating: "M", count: 62) + "CCCC"
        case "zi-yan-v11":
            normal = String(repeating: "U", count: 4) + String(repeating: "M", count: 60) + "II"
                + String(repeating: "M", count: 120) + "HRCCCC"
        default:
            normal = String(repeating: "U", count: 4) + String(repeating: "M", count: 184) + "CCCC"
        }
        let movable = String(repeating: "M", count: 60) + (variant == "linux-5.19" ? "MM.." : "....")
        return RunExtras(
            series: [
                "nr_free_pages_drift_per_cycle": drift,
                "contig_success_by_fill": bySuccess[variant] ?? [],
                "largest_free_order_by_event": long,
                "empty_series": [],
            ],
            pageblockMap: ["Normal": normal, "Movable": movable],
            buddyinfo: variant == "linux-5.18" ? buddyinfo : nil,
            pagetypeinfo: variant == "linux-5.18" ? pagetypeinfo : nil)
    }

    static let buddyinfo = """
        Node 0, zone   Normal    206    751   1590    757    458    308    176    102     66     28     36
        Node 0, zone  Movable      0      0      0      0      0      0      0      0      0      0     30
        """

    static let pagetypeinfo = """
        Page block order: 9
        Pages per block:  512

        Free pages count per migrate type at order       0      1      2      3      4      5      6      7      8      9     10
        Node    0, zone   Normal, type    Unmovable    206     25      1     16     11     11      0      3      0      0      0
        Node    0, zone   Normal, type      Movable      0    725   1589    740    447    297    175     98     66     27     36
        """

    static func workloadHash(_ seed: UInt64) -> String {
        String(repeating: String(seed % 10), count: 8) + String(repeating: "ab", count: 28)
    }

    static func run(_ variant: String, _ seed: UInt64) -> RunResult {
        let s = Int(seed) - 1
        var values: [String: Int] = [:]
        for (name, byVariant) in metrics { values[name] = byVariant[variant]?[s] }
        let ops = opResults.enumerated().map { i, op in
            OpOutcome(index: i, op: op.0, result: op.1[variant]?[s] ?? "ok")
        }
        return RunResult(variant: variant, seed: seed, workloadSHA256: workloadHash(seed),
                         metrics: values, ops: ops, faults: faults(variant, seed),
                         extras: seed == 1 ? extras(variant) : nil)
    }

    static let revision = RevisionInfo(
        commit: "0123456789abcdef0123456789abcdef01234567", short: "0123456789ab", branch: "main",
        describe: "v0.1-4-g0123456789ab-dirty", dirty: true,
        dirtyDiffSHA256: "d1ff" + String(repeating: "0", count: 60),
        commitTime: "2025-05-30T09:15:00+02:00", summary: "variants: add zi-yan-v11")

    static func document(runs: [RunResult]? = nil) -> ResultDocument {
        ResultDocument(
            revision: revision, revisionNote: nil,
            tool: ToolInfo(version: "0.1.0", swift: "6.3.1"),
            experiment: ExperimentRef(name: "neighbour-unmovable", file: "experiments/neighbour-unmovable.yaml",
                                      sha256: String(repeating: "5e", count: 32)),
            baseline: "linux-5.18",
            runs: runs ?? variants.flatMap { v in seeds.map { run(v, $0) } })
    }

    static func input(document: ResultDocument = document()) -> ReportInput {
        ReportInput(
            document: document,
            description: "An unmovable page pinned next to a contig range: does alloc_contig_range\nsucceed, and does NR_FREE_PAGES stay honest?",
            machineLines: [
                MachineLine("preset", "x86_64"), MachineLine("page size", "4KiB"),
                MachineLine("max order", "10"), MachineLine("pageblock order", "9 (512 pages, 2MiB)"),
                MachineLine("memory block", "128MiB"), MachineLine("ram_start", "0"),
                MachineLine("zone Normal", "384MiB (98304 pages, 192 pageblocks)"),
                MachineLine("zone Movable", "128MiB (32768 pages, 64 pageblocks)"),
                MachineLine("cma cma0", "8MiB at 256MiB"),
            ],
            seeds: seeds,
            expectations: [
                ExpectationLine(text: "zi-yan-v11: op 2 result ok", passed: true),
                ExpectationLine(text: "linux-5.18: contig_successes equals 0", passed: false,
                                detail: "got 10 on seed 1, 11 on seed 2, 9 on seed 3"),
                ExpectationLine(text: "all: invariant_violations equals 0", passed: true),
            ],
            opLabels: [0: "alloc 0x400 order 0 unmovable", 1: "isolate 0x600+512",
                       2: "contig 0x600+512", 3: "watermark Movable high order 0"],
            generatedAt: "2025-06-01T12:00:00Z",
            command: "buddylab run experiments/neighbour-unmovable.yaml --seeds 3",
            variantOrder: variants)
    }

    static let history = HistoryInput(
        name: "neighbour-unmovable", threshold: 5,
        rows: [
            HistoryInput.Row(short: "4444444444ab", summary: "mm: fix isolated accounting", hasResults: true,
                       values: ["linux-5.18": ["contig_successes": 10, "nr_free_pages_drift": 0],
                                "zi-yan-v11": ["contig_successes": 30, "nr_free_pages_drift": 0]],
                       firstMove: [HistoryInput.Key(variant: "zi-yan-v11", metric: "nr_free_pages_drift")]),
            HistoryInput.Row(short: "3333333333ab", summary: "docs: typo", hasResults: false, values: [:]),
            HistoryInput.Row(short: "2222222222ab", summary: "variants: add zi-yan-v11", hasResults: true,
                       values: ["linux-5.18": ["contig_successes": 10, "nr_free_pages_drift": 0],
                                "zi-yan-v11": ["contig_successes": 30.33, "nr_free_pages_drift": -512]],
                       firstMove: [HistoryInput.Key(variant: "zi-yan-v11", metric: "contig_successes")]),
            HistoryInput.Row(short: "1111111111ab", summary: "initial import", hasResults: true,
                       values: ["linux-5.18": ["contig_successes": 10, "nr_free_pages_drift": 0]]),
        ])

    static let compare = CompareInput(
        name: "neighbour-unmovable",
        revA: CompareInput.Revision(short: "1111111111ab", describe: "v0.1"),
        revB: CompareInput.Revision(short: "2222222222ab", describe: "v0.1-3-g2222222222ab"),
        threshold: 5,
        rows: [
            CompareInput.Row(variant: "linux-5.18", metric: "contig_successes", a: 10, b: 10, delta: 0,
                       deltaPercent: 0, polarity: .higherIsBetter, regression: false),
            CompareInput.Row(variant: "zi-yan-v11", metric: "nr_free_pages_drift", a: -512, b: 0, delta: 512,
                       deltaPercent: 100, polarity: .zeroIsBetter, regression: false),
            CompareInput.Row(variant: "zi-yan-v11", metric: "contig_successes", a: 30, b: 20, delta: -10,
                       deltaPercent: -33.333333, polarity: .higherIsBetter, regression: true),
            CompareInput.Row(variant: "linux-5.18", metric: "pages_migrated", a: 0, b: 100, delta: 100,
                       deltaPercent: nil, polarity: .neutral, regression: false),
            CompareInput.Row(variant: "linux-5.19", metric: "alloc_failures", a: 12, b: 12.5, delta: 0.5,
                       deltaPercent: 4.1666667, polarity: .lowerIsBetter, regression: false),
            CompareInput.Row(variant: "linux-5.19", metric: "faults", a: 0, b: 3, delta: 3,
                       deltaPercent: nil, polarity: .lowerIsBetter, regression: true),
        ],
        notes: ["neighbour-unmovable / minchan-2012: only in 1111111111ab"])
}
