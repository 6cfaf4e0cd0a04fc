import Testing

/// Checks of the report's `/proc` section against the result JSON.
enum ProcDumpChecks {
    /// One `<details>` pair per variant (buddyinfo, then pagetypeinfo, of the first seed) in
    /// column order, each holding the JSON's dump verbatim in the kernel's layout.
    static func section(_ report: String, _ result: ResultFile,
                        sourceLocation: SourceLocation = #_sourceLocation) throws {
        let section = try #require(Markdown.section(report, "## /proc views (end of run)"),
                                   sourceLocation: sourceLocation)
        let seed = TinyExperiment.seeds[0]
        let summaries = section.split(separator: "\n").filter { $0.hasPrefix("<details><summary>") }.map(String.init)
        let expectedSummaries = TinyExperiment.variants.flatMap { v in
            ["/proc/buddyinfo", "/proc/pagetypeinfo"].map { "<details><summary>\(v): \($0) (seed \(seed))</summary>" }
        }
        #expect(summaries == expectedSummaries, sourceLocation: sourceLocation)
        var expectedBodies: [String] = []
        for variant in TinyExperiment.variants {
            let extras = try #require(result.run(variant, seed: seed)?.extras, sourceLocation: sourceLocation)
            for dump in [extras.buddyinfo, extras.pagetypeinfo] {
                let text = try #require(dump, sourceLocation: sourceLocation)
                expectedBodies.append(text.hasSuffix("\n") ? text : text + "\n")
            }
        }
        #expect(fencedBlocks(section) == expectedBodies, sourceLocation: sourceLocation)
        for body in expectedBodies {
            kernelLayout(body, sourceLocation: sourceLocation)
        }
    }

    /// Every line of `dump` is what the kernel would print for its values (headers included:
    /// `"%-43s "` + `"%6d "` and `"%-23s"` + `"%12s "` of mm/vmstat.c).
    static func kernelLayout(_ dump: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let isPagetypeinfo = dump.hasPrefix("Page block order:")
        let lines = isPagetypeinfo ? KernelProcFormat.pagetypeinfo(dump) : KernelProcFormat.buddyinfo(dump)
        #expect(!lines.isEmpty, sourceLocation: sourceLocation)
        for (line, kernel) in lines {
            #expect(line == kernel, sourceLocation: sourceLocation)
        }
    }

    /// The bodies of the ```` ```text ```` blocks of `markdown`, in order.
    static func fencedBlocks(_ markdown: String) -> [String] {
        var blocks: [String] = []
        var current: [Substring]? = nil
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line.hasPrefix("```"), line.hasSuffix("text") {
                current = []
            } else if current != nil, line.hasPrefix("```") {
                blocks.append(current.map { $0.map { $0 + "\n" }.joined() } ?? "")
                current = nil
            } else if current != nil {
                current?.append(line)
            }
        }
        return blocks
    }
}
