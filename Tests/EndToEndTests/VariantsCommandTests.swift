import Foundation
import Testing

/// Issue 18 item 9: `buddylab variants` and the report say what each variant models, which
/// running kernel checked it, and which counters its design declares may drift.
@Suite struct VariantsCommandTests {
    @Test func tableSaysModelsCheckAndDrift() throws {
        let r = buddylab(["variants"])
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasSuffix("| models | checked against | may drift |") == true)
        let row617 = try #require(lines.first { $0.hasPrefix("| linux-6.17 |") })
        #expect(row617.contains("| not checked against any 6.17 kernel | nothing |"))
        let row35 = try #require(lines.first { $0.hasPrefix("| linux-3.5 |") })
        #expect(row35.hasSuffix("| NR_FREE_PAGES, NR_FREE_CMA_PAGES |"))
        let row61 = try #require(lines.first { $0.hasPrefix("| linux-6.1 |") })
        #expect(row61.contains("Debian 12's 6.1.192"))
    }

    @Test func reportHasAVariantsSection() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        _ = try ws.commit("tiny.yaml", TinyExperiment.yaml(), message: "add the e2e experiment")
        _ = try ws.run("tiny.yaml", json: "run.json")
        let report = try ws.read("run.json.md")
        #expect(report.contains("## Variants\n\n| variant"))
        for v in TinyExperiment.variants { #expect(report.contains("| \(v) ")) }
    }
}
