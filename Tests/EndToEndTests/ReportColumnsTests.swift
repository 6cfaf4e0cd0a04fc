import Foundation
import Testing

/// `report --variants A,B[,C]` and `--format mmtests` through the command line.
@Suite struct ReportColumnsTests {
    @Test func mmtestsWithTwoOfThreeVariants() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.commit("tiny.yaml", TinyExperiment.yaml(), message: "add the e2e experiment")
        try ws.run("tiny.yaml", json: "run.json")
        let store = ["--results", ws.results, "--repo", ws.repo]
        let r = buddylab(["report", TinyExperiment.name, "--format", "mmtests", "--variants", "linux-5.19,linux-5.18"] + store)
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
        // The stored baseline (linux-5.18) stays the reference column even when listed second.
        #expect(lines[0].hasSuffix("change against linux-5.18; positive = better (mmtests pdiff/pndiff); *x.xx%* = Welch's t-test p < 0.05"))
        #expect(lines[1].split(separator: " ") == ["linux", "linux"])
        #expect(lines[2].split(separator: " ") == ["5.18", "5.19"])
        #expect(!r.stdout.contains("zi-yan") && !r.stdout.contains("yan-v11"))
        let rows = lines.dropFirst(3).filter { $0.hasPrefix("Amean ") }
        #expect(!rows.isEmpty)
        // Names are never shortened (mmtests widens the column instead).
        #expect(!r.stdout.contains("~"))
        #expect(lines.contains { $0.hasPrefix("Stddev ") } && lines.contains { $0.hasPrefix("CoeffVar ") })
        // Each row: the baseline with (   0.00%), then linux-5.19's mean and change.
        let result = try ws.document("run.json")
        for row in rows {
            let fields = row.split(separator: " ")
            let metric = String(fields[1])
            let base = result.mean(metric, "linux-5.18")
            #expect(fields[2] == Substring(String(format: "%.2f", base)), "\(row)")
            #expect(row.contains(String(format: "%.2f", result.mean(metric, "linux-5.19"))), "\(row)")
        }
    }

    @Test func unknownOrUnstoredVariantExits2() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.commit("tiny.yaml", TinyExperiment.yaml(), message: "add the e2e experiment")
        try ws.run("tiny.yaml", json: "run.json", extra: ["--variants", "linux-5.18,linux-5.19"])
        let store = ["--results", ws.results, "--repo", ws.repo]
        let unknown = buddylab(["report", TinyExperiment.name, "--variants", "linux-9.9"] + store)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("--variants 'linux-9.9': unknown variant"))
        let unstored = buddylab(["report", TinyExperiment.name, "--variants", "linux-5.18,zi-yan-v11"] + store)
        #expect(unstored.status == 2)
        #expect(unstored.stderr.contains("--variants 'zi-yan-v11': no stored results for this variant"))
    }
}
