import BuddyReport
import BuddyResults
import Testing

/// `--format mmtests`: the layout and arithmetic of mmtests' compare-kernels.sh (gormanm/mmtests
/// `bin/lib/MMTests/Compare.pm` `_generateRenderTable`, `PrintGeneric.pm`, `Stat.pm` `pdiff` /
/// `pndiff`, `Summarise.pm` `setSummaryMultiops`): Min/Amean/Stddev/CoeffVar/Max rows,
/// statistic-major, `%12.2f (%7.2f%%)` cells, positive change = better, `*…*` only where Welch's
/// t-test says so, names never shortened, direction-less counters in an `Ops` block. The expected
/// text below was produced by a separate 40-line Python transcription of those Perl printf
/// formats and formulas, not by this renderer.
@Suite struct MMTestsFormatTests {
    /// metric → variant → per-seed values.
    /// - contig_successes ↑: zi-yan-v11 12 on every seed against 10 (an exact +20%: zero
    ///   variance on both sides, so NOT significant); linux-5.19 [11, 13, 15] (Welch t = 2.60,
    ///   df = 2, p = 0.12: not significant).
    /// - nr_free_pages_drift →0: zi-yan-v11 512 against a zero baseline (mmtests' pndiff: −99%).
    /// - nr_free_pages_min ↑: linux-5.19 [200, 220, 240] against [100, 110, 120]
    ///   (Welch t = 8.52, df = 2.9, p ≈ 0.004: significant).
    /// - watermark_misjudgements ↓: linux-5.19 1 against 3: pndiff +66.67% (better), exact.
    /// - invariant_violations: identical everywhere; events, pages_migrated: no direction (Ops).
    static let metrics: [String: [String: [Int]]] = [
        "contig_successes": ["linux-5.18": [10, 10, 10], "zi-yan-v11": [12, 12, 12], "linux-5.19": [11, 13, 15]],
        "nr_free_pages_drift": ["linux-5.18": [0, 0, 0], "zi-yan-v11": [512, 512, 512], "linux-5.19": [0, 0, 0]],
        "nr_free_pages_min": ["linux-5.18": [100, 110, 120], "zi-yan-v11": [100, 110, 120], "linux-5.19": [200, 220, 240]],
        "watermark_misjudgements": ["linux-5.18": [3, 3, 3], "zi-yan-v11": [3, 3, 3], "linux-5.19": [1, 1, 1]],
        "invariant_violations": ["linux-5.18": [0, 0, 0], "zi-yan-v11": [0, 0, 0], "linux-5.19": [0, 0, 0]],
        "events": ["linux-5.18": [100, 100, 100], "zi-yan-v11": [100, 100, 100], "linux-5.19": [100, 100, 100]],
        "pages_migrated": ["linux-5.18": [5, 5, 5], "zi-yan-v11": [6, 6, 6], "linux-5.19": [5, 6, 7]],
    ]

    static func input(variants: [String], seeds: Int = 3) -> ReportInput {
        let runs = variants.flatMap { v in
            (1...seeds).map { seed in
                RunResult(variant: v, seed: UInt64(seed), workloadSHA256: "w\(seed)",
                          metrics: metrics.mapValues { $0[v]![seed - 1] }, ops: [], faults: [])
            }
        }
        let doc = ResultDocument(revision: nil, revisionNote: "test", tool: ToolInfo(version: "0.1.0", swift: "6.3.1"),
                                 experiment: ExperimentRef(name: "mm", file: "mm.yaml", sha256: "00"),
                                 baseline: "linux-5.18", runs: runs)
        return ReportInput(document: doc, description: "", machineLines: [], seeds: (1...seeds).map(UInt64.init),
                           expectations: [], opLabels: [:], generatedAt: "", command: "", variantOrder: variants)
    }

    @Test func threeVariantsAsCompareKernelsPrintsThem() {
        let out = renderMMTests(Self.input(variants: ["linux-5.18", "zi-yan-v11", "linux-5.19"]))
        let expected = """
            buddylab mm: 3 seeds, change against linux-5.18; positive = better (mmtests pdiff/pndiff); *x.xx%* = Welch's t-test p < 0.05

                                                              linux                     zi                  linux
                                                               5.18                yan-v11                   5.19
            Min      contig_successes              10.00 (   0.00%)       12.00 (  20.00%)       11.00 (  10.00%)
            Min      nr_free_pages_drift            0.00 (   0.00%)      512.00 ( -99.00%)        0.00 (   0.00%)
            Min      nr_free_pages_min            100.00 (   0.00%)      100.00 (   0.00%)      200.00 ( 100.00%)
            Min      watermark_misjudgements        3.00 (   0.00%)        3.00 (   0.00%)        1.00 (  66.67%)
            Amean    contig_successes              10.00 (   0.00%)       12.00 (  20.00%)       13.00 (  30.00%)
            Amean    nr_free_pages_drift            0.00 (   0.00%)      512.00 ( -99.00%)        0.00 (   0.00%)
            Amean    nr_free_pages_min            110.00 (   0.00%)      110.00 (   0.00%)      220.00 * 100.00%*
            Amean    watermark_misjudgements        3.00 (   0.00%)        3.00 (   0.00%)        1.00 (  66.67%)
            Stddev   contig_successes               0.00 (   0.00%)        0.00 (   0.00%)        2.00 ( -99.00%)
            Stddev   nr_free_pages_drift            0.00 (   0.00%)        0.00 (   0.00%)        0.00 (   0.00%)
            Stddev   nr_free_pages_min             10.00 (   0.00%)       10.00 (   0.00%)       20.00 (-100.00%)
            Stddev   watermark_misjudgements        0.00 (   0.00%)        0.00 (   0.00%)        0.00 (   0.00%)
            CoeffVar contig_successes               0.00 (   0.00%)        0.00 (   0.00%)       15.38 ( -99.00%)
            CoeffVar nr_free_pages_drift            0.00 (   0.00%)        0.00 (   0.00%)        0.00 (   0.00%)
            CoeffVar nr_free_pages_min              9.09 (   0.00%)        9.09 (   0.00%)        9.09 (   0.00%)
            CoeffVar watermark_misjudgements        0.00 (   0.00%)        0.00 (   0.00%)        0.00 (   0.00%)
            Max      contig_successes              10.00 (   0.00%)       12.00 (  20.00%)       15.00 (  50.00%)
            Max      nr_free_pages_drift            0.00 (   0.00%)      512.00 ( -99.00%)        0.00 (   0.00%)
            Max      nr_free_pages_min            120.00 (   0.00%)      120.00 (   0.00%)      240.00 ( 100.00%)
            Max      watermark_misjudgements        3.00 (   0.00%)        3.00 (   0.00%)        1.00 (  66.67%)

                                        linux             zi          linux
                                         5.18        yan-v11           5.19
            Ops events                 100.00         100.00         100.00
            Ops pages_migrated           5.00           6.00           6.00

            exact (each variant the same on every seed): nr_free_pages_drift, watermark_misjudgements
            distributions over seeds (see Stddev, CoeffVar): contig_successes, nr_free_pages_min, pages_migrated
            identical in every variant (mean over seeds): invariant_violations 0

            """
        #expect(out == expected)
    }

    @Test func namesAreNeverShortened() {
        let out = renderMMTests(Self.input(variants: ["linux-5.18", "zi-yan-v11", "linux-5.19"]))
        #expect(!out.contains("~"))
        for name in ["nr_free_pages_drift", "nr_free_pages_min", "watermark_misjudgements", "contig_successes"] {
            #expect(out.split(separator: "\n").filter { $0.hasPrefix("Amean    " + name + " ") }.count == 1, "\(name)")
        }
    }

    /// Significance is Welch's alone: the exact +20% of zi-yan-v11 (zero variance on both
    /// sides) and the exact +66.67% of linux-5.19 are in parentheses; only the Welch-significant
    /// Amean cell has stars, and no Min/Max/Stddev/CoeffVar row ever does.
    @Test func onlyWelchSignificantAmeanCellsAreStarred() {
        let out = renderMMTests(Self.input(variants: ["linux-5.18", "zi-yan-v11", "linux-5.19"]))
        let starred = out.split(separator: "\n").dropFirst().filter { $0.contains("%*") }
        #expect(starred.map { $0.prefix(27) } == ["Amean    nr_free_pages_min "])
        #expect(out.contains("12.00 (  20.00%)"))
        #expect(out.contains("1.00 (  66.67%)"))
    }

    @Test func mmtestsSignAndZeroBaselineRules() {
        let out = renderMMTests(Self.input(variants: ["linux-5.18", "linux-5.19"]))
        // watermark_misjudgements ↓ 3 → 1: pndiff = 100 − 1·100/3 = +66.67 (better, no '+').
        #expect(out.contains("Amean    watermark_misjudgements        3.00 (   0.00%)        1.00 (  66.67%)"))
        // nr_free_pages_min ↑ 110 → 220: pdiff = +100; its Stddev 10 → 20: pndiff = −100 (worse).
        #expect(out.contains("Stddev   nr_free_pages_min             10.00 (   0.00%)       20.00 (-100.00%)"))
    }

    @Test func oneSeedShowsAmeanOnly() {
        let out = renderMMTests(Self.input(variants: ["linux-5.18", "linux-5.19"], seeds: 1))
        let rows = out.split(separator: "\n").filter { $0.hasSuffix("%)") || $0.hasSuffix("%*") }
        #expect(!rows.isEmpty && rows.allSatisfy { $0.hasPrefix("Amean ") })
        #expect(out.hasPrefix("buddylab mm: 1 seed, change against linux-5.18; positive = better (mmtests pdiff/pndiff); "
                              + "1 seed: Amean only, no significance test\n"))
        #expect(!out.contains("%*"))
    }

    @Test func sweepBlocksPerMetricWithPointRows() {
        let out = renderSweepMMTests(SweepReportTests.input())
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.contains("contig_successes (higher is better)"))
        // fill=40% size=2MiB: 8.50 → 28.50, pdiff +235.29, Welch significant (t = 28.3, df = 2).
        #expect(lines.contains("Amean    40%-2MiB        8.50 (   0.00%)       28.50 * 235.29%*"))
        #expect(lines.filter { $0.hasPrefix("Min ") || $0.hasPrefix("CoeffVar ") }.count == 8)
        #expect(!out.contains("~"))
        // The terminal summary of `run` keeps the Amean rows (4 points) and says where the rest is.
        let short = renderSweepMMTests(SweepReportTests.input(), meanOnly: true)
        #expect(short.split(separator: "\n").filter { $0.hasPrefix("Amean ") }.count == 4)
        #expect(!short.contains("\nMin ") && short.contains("`buddylab report sw --format mmtests` adds Min, Stddev, CoeffVar and Max"))
    }
}
