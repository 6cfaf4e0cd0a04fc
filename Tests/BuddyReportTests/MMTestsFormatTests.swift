import BuddyReport
import BuddyResults
import Testing

/// `--format mmtests`: the layout of mmtests' compare-kernels.sh (`bin/lib/MMTests/Compare.pm`:
/// statistic, row name, then per kernel `%W.2f` and the change in a fixed field, significant
/// changes between `*`), within 80 columns for two and three variants. Expected text is written
/// out by hand from the fixture below, not recorded.
@Suite struct MMTestsFormatTests {
    /// metric → variant → per-seed values. contig_successes: zi-yan-v11 +20% with no variance
    /// (an exact difference: significant), linux-5.19 +30% with p = 0.12 (Welch, df 2: not
    /// significant); nr_free_pages_drift: +512 against a zero baseline (absolute, exact);
    /// watermark_misjudgements: -66.67% exact; invariant_violations identical (left out).
    static let metrics: [String: [String: [Int]]] = [
        "contig_successes": ["linux-5.18": [10, 10, 10], "zi-yan-v11": [12, 12, 12], "linux-5.19": [11, 13, 15]],
        "nr_free_pages_drift": ["linux-5.18": [0, 0, 0], "zi-yan-v11": [512, 512, 512], "linux-5.19": [0, 0, 0]],
        "watermark_misjudgements": ["linux-5.18": [3, 3, 3], "zi-yan-v11": [3, 3, 3], "linux-5.19": [1, 1, 1]],
        "invariant_violations": ["linux-5.18": [0, 0, 0], "zi-yan-v11": [0, 0, 0], "linux-5.19": [0, 0, 0]],
    ]

    static func input(variants: [String]) -> ReportInput {
        let runs = variants.flatMap { v in
            (1...3).map { seed in
                RunResult(variant: v, seed: UInt64(seed), workloadSHA256: "w\(seed)",
                          metrics: metrics.mapValues { $0[v]![seed - 1] }, ops: [], faults: [])
            }
        }
        let doc = ResultDocument(revision: nil, revisionNote: "test", tool: ToolInfo(version: "0.1.0", swift: "6.3.1"),
                                 experiment: ExperimentRef(name: "mm", file: "mm.yaml", sha256: "00"),
                                 baseline: "linux-5.18", runs: runs)
        return ReportInput(document: doc, description: "", machineLines: [], seeds: [1, 2, 3], expectations: [],
                           opLabels: [:], generatedAt: "", command: "", variantOrder: variants)
    }

    @Test func threeVariantsFitIn80Columns() {
        let out = renderMMTests(Self.input(variants: ["linux-5.18", "zi-yan-v11", "linux-5.19"]))
        let pad = String(repeating: " ", count: 20)
        let expected = """
            buddylab mm: mean over 3 seeds, change against linux-5.18; *x.xx%* significant (Welch p < 0.05 or exact)

            \(pad)               linux                  zi               linux
            \(pad)                5.18             yan-v11                5.19
            Amean contig_succes~    10.00 (   0.00%)    12.00 * +20.00%*    13.00 ( +30.00%)
            Amean nr_free_pages~     0.00 (   0.00%)   512.00 *    +512*     0.00 (   0.00%)
            Amean watermark_mis~     3.00 (   0.00%)     3.00 (   0.00%)     1.00 * -66.67%*

              contig_succes~ = contig_successes
              nr_free_pages~ = nr_free_pages_drift
              watermark_mis~ = watermark_misjudgements

            """
        #expect(out == expected)
        let table = out.split(separator: "\n").dropFirst(1).prefix(5)   // two header lines, three rows
        #expect(table.allSatisfy { $0.count <= 80 })
        #expect(table.dropFirst(2).allSatisfy { $0.count == 80 })
    }

    @Test func twoVariantsKeepFullNames() {
        let out = renderMMTests(Self.input(variants: ["linux-5.18", "linux-5.19"]))
        let pad = String(repeating: " ", count: 29)
        let expected = """
            buddylab mm: mean over 3 seeds, change against linux-5.18; *x.xx%* significant (Welch p < 0.05 or exact)

            \(pad)               linux               linux
            \(pad)                5.18                5.19
            Amean contig_successes           10.00 (   0.00%)    13.00 ( +30.00%)
            Amean watermark_misjudgements     3.00 (   0.00%)     1.00 * -66.67%*

            """
        #expect(out == expected)
        #expect(out.split(separator: "\n").allSatisfy { $0.count <= 80 || $0.hasPrefix("buddylab") })
    }
}
