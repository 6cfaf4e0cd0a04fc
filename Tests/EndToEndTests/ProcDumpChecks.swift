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

    /// Every line of `dump` is what the kernel would print for its values.
    ///
    /// Known engine bug (Sources/BuddyCore/Machine+Stats.swift, `procPagetypeinfo`): the two
    /// pagetypeinfo header lines are padded differently from mm/vmstat.c — "at order" is followed
    /// by 6 spaces before "0" where the kernel's `"%-43s "` + `"%6d "` gives 7, and "Number of
    /// blocks type" by 8 spaces before "Unmovable" where `"%-23s"` + `"%12s "` gives 5. The data
    /// rows match. Engine files are out of this branch's hands; `withKnownIssue` fails as soon as
    /// the headers are fixed, so this wrapper cannot outlive the bug.
    static func kernelLayout(_ dump: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let isPagetypeinfo = dump.hasPrefix("Page block order:")
        let lines = isPagetypeinfo ? KernelProcFormat.pagetypeinfo(dump) : KernelProcFormat.buddyinfo(dump)
        #expect(!lines.isEmpty, sourceLocation: sourceLocation)
        for (line, kernel) in lines {
            let header = line.hasPrefix("Free pages count per migrate type") || line.hasPrefix("Number of blocks type")
            if header {
                withKnownIssue("engine pagetypeinfo header padding differs from mm/vmstat.c") {
                    #expect(line == kernel, sourceLocation: sourceLocation)
                }
            } else {
                #expect(line == kernel, sourceLocation: sourceLocation)
            }
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
