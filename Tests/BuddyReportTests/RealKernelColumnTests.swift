import BuddyReport
import BuddyResults
import Foundation
import Testing

/// The real-kernel column (`buddylab run --kernel`) in the markdown report, the summary table
/// and the JSON document: a run tagged `kernel` sits beside the simulated variants, its
/// unmeasured metrics show as –, its ops as the kernel answered, its different command stream
/// does not count as "variants ran different workloads", and what it did not run is listed.
@Suite struct RealKernelColumnTests {
    static let kernelLabel = "kernel 6.1.192 (UML)"
    static let simulatedMetrics = ["contig_successes": 0, "contig_ebusy": 1, "faults": 0, "nr_free_pages": 1023,
                                   "invariant_violations": 0]

    static func document(withKernel: Bool) -> ResultDocument {
        let ops = ["linux-5.18": "ebusy", "linux-5.19": "ok"]
        var runs = ["linux-5.18", "linux-5.19"].map { v in
            var m = simulatedMetrics
            if v == "linux-5.19" { m["contig_successes"] = 1; m["contig_ebusy"] = 0 }
            return RunResult(variant: v, seed: 1, workloadSHA256: String(repeating: "a", count: 64), metrics: m,
                             ops: [OpOutcome(index: 0, op: "alloc", result: "ok"), OpOutcome(index: 1, op: "contig", result: ops[v] ?? "")],
                             faults: [])
        }
        if withKernel {
            let tag = RealKernelRun(series: "6.1", version: "6.1.192", notes: ["3 driver commands in one boot."],
                                    notRun: ["op 2 offline block 1 (memory hotplug: User-Mode Linux has no SPARSEMEM hotplug)"])
            runs.append(RunResult(variant: kernelLabel, seed: 1, workloadSHA256: String(repeating: "b", count: 64),
                                  metrics: ["contig_successes": 1, "contig_ebusy": 0, "nr_free_pages": 124855],
                                  ops: [OpOutcome(index: 0, op: "alloc", result: "ok", detail: "kernel: alloc 0 unmovable → ok handle=0 pfn=0xb17"),
                                        OpOutcome(index: 1, op: "contig", result: "ok")],
                                  faults: [], kernel: tag))
        }
        return ResultDocument(revision: nil, revisionNote: "test", tool: ToolInfo(version: "t", swift: "6.3.1"),
                              experiment: ExperimentRef(name: "neighbour-unmovable", file: "x.yaml", sha256: "c"),
                              baseline: "linux-5.18", runs: runs)
    }

    static func input(_ doc: ResultDocument) -> ReportInput {
        ReportInput(document: doc, description: "", machineLines: [], seeds: [1], expectations: [],
                    opLabels: [0: "alloc order 0 unmovable as pinned", 1: "contig 0x200+512", 2: "offline block 1"],
                    generatedAt: "now", command: "buddylab run x.yaml --kernel 6.1",
                    variantOrder: ["linux-5.18", "linux-5.19", kernelLabel])
    }

    /// The cells of the markdown table row whose first cell is `first` (pipes split, trimmed).
    func row(_ md: String, _ first: String) -> [String]? {
        for line in md.split(separator: "\n") where line.hasPrefix("|") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
                .map { $0.trimmingCharacters(in: .whitespaces) }
            if cells.first == first { return Array(cells) }
        }
        return nil
    }

    @Test func markdownColumn() throws {
        let md = renderMarkdown(Self.input(Self.document(withKernel: true)))
        // Ops table: # | op | variants… | kernel.
        let ops = String(try #require(md.components(separatedBy: "## Scripted ops").last))
        #expect(row(ops, "1") == ["1", "contig 0x200+512", "ebusy", "ok", "ok"])
        #expect(row(ops, "0") == ["0", "alloc order 0 unmovable as pinned", "ok", "ok", "ok"])
        // Metric tables: the kernel's unmeasured metrics are –, not 0.
        let faults = try #require(row(md, "`faults`") ?? row(md, "faults"))
        #expect(faults.last == "–")
        let successes = try #require(row(md, "`contig_successes`"))
        #expect(successes.count == 5 && successes[4].hasPrefix("1"))
        #expect(md.contains("| " + Self.kernelLabel) || md.contains(Self.kernelLabel + " |"))
        // The kernel's command stream is not a simulated variant's workload.
        #expect(!md.contains("variants ran different workloads"))
        #expect(md.contains("yes (2 variants)"))
        #expect(md.contains("## Real kernel"))
        #expect(md.contains("### " + Self.kernelLabel))
        #expect(md.contains("- not run on a real kernel: op 2 offline block 1 (memory hotplug: User-Mode Linux has no SPARSEMEM hotplug)\n"))
        #expect(md.contains("- 3 driver commands in one boot.\n"))
    }

    @Test func noColumnSaysWhy() {
        var input = Self.input(Self.document(withKernel: false))
        input.kernelNotes = ["kernel 6.1: no column: nothing of the experiment can run on a real kernel: phase 1 fill (…)"]
        let md = renderMarkdown(input)
        #expect(!md.contains(Self.kernelLabel))
        #expect(md.contains("## Real kernel\n\n- kernel 6.1: no column: nothing of the experiment can run on a real kernel: phase 1 fill (…)\n"))
        #expect(!renderMarkdown(Self.input(Self.document(withKernel: false))).contains("## Real kernel"))
    }

    @Test func summaryTableHasTheColumn() throws {
        let text = renderSummary(Self.input(Self.document(withKernel: true)))
        let header = try #require(text.split(separator: "\n").first { $0.hasPrefix("metric") })
        #expect(header.hasSuffix(Self.kernelLabel))
        let faults = try #require(text.split(separator: "\n").first { $0.hasPrefix("faults") })
        #expect(faults.hasSuffix("–"))
        #expect(!text.contains("different workloads"))
    }

    /// A run made on a real kernel encodes its `kernel` tag, the others none; it round-trips (the
    /// `--json` document lists such runs under `kernel_runs`: RunKernelColumnTests).
    @Test func jsonTag() throws {
        let doc = Self.document(withKernel: true)
        let data = try ResultJSON.encode(doc)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let runs = try #require(object["runs"] as? [[String: Any]])
        #expect(runs[0]["kernel"] == nil && runs[1]["kernel"] == nil)
        let tag = try #require(runs[2]["kernel"] as? [String: Any])
        #expect(tag["series"] as? String == "6.1")
        #expect(tag["version"] as? String == "6.1.192")
        #expect(tag["not_run"] as? [String] == ["op 2 offline block 1 (memory hotplug: User-Mode Linux has no SPARSEMEM hotplug)"])
        let metrics = try #require(runs[2]["metrics"] as? [String: Int])
        #expect(metrics["faults"] == nil)
        #expect(try ResultJSON.decode(ResultDocument.self, from: data) == doc)
    }
}
