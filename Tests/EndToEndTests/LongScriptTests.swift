import Foundation
import Testing

/// Issue 12, defect 6: long scripts. The ops table is built in one pass per run (it was
/// quadratic: 100 k ops took about 25 s to render) and folds into `<details>` beyond 300 rows;
/// a file over the YAML node limit says which limit it hit, not "too many aliases?".
@Suite struct LongScriptTests {
    /// An experiment whose only phase is `ops` of `pairs` alloc/free pairs.
    static func script(pairs: Int) -> String {
        var text = """
            schema: 1
            name: long-script
            machine:
              preset: x86_64
              memory_block: 4MiB
              zones:
                - { name: Normal, size: 16MiB }
            variants: [linux-5.18, linux-5.19]
            seeds: 2
            workload:
              - ops:

            """
        for i in 0..<pairs {
            text += "      - alloc: { order: 0, type: movable, as: a\(i) }\n      - free: a\(i)\n"
        }
        return text
    }

    private func report(pairs: Int) throws -> String {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.commit("long.yaml", Self.script(pairs: pairs), message: "a long script")
        let r = buddylab(["run", ws.repo + "/long.yaml", "--results", ws.results, "--repo", ws.repo,
                          "--report", ws.path("long.md")])
        #expect(r.status == 0, "\(r.stderr)")
        return try ws.read("long.md")
    }

    @Test func longOpsTableIsFoldedWithEveryRow() throws {
        let text = try report(pairs: 151)
        let fold = "<details><summary>302 scripted ops (folded: more than 300 rows)</summary>"
        #expect(text.contains(fold))
        let section = try #require(text.components(separatedBy: "## Scripted ops").last)
        let folded = try #require(section.components(separatedBy: fold).last?.components(separatedBy: "</details>").first)
        // Every op is a row: alloc rows end "| ok | ok |" for both variants, frees likewise.
        // The table's lines after its header and rule.
        let rows = folded.split(separator: "\n").filter { $0.hasPrefix("|") }.dropFirst(2)
        #expect(rows.count == 302)
        #expect(rows.allSatisfy { $0.hasSuffix("| ok         | ok         |") })
    }

    @Test func shortOpsTableIsNotFolded() throws {
        let text = try report(pairs: 150)
        #expect(!text.contains("scripted ops (folded"))
        #expect(text.contains("## Scripted ops"))
    }

    /// 180,000 ops without one alias (an alloc with `as:` is 9 nodes, a free 3) pass the node
    /// limit (1,000,000): the message names the limit and the way out.
    @Test func nodeLimitMessageNamesTheLimit() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let file = ws.path("huge.yaml")
        try Data(Self.script(pairs: 90_000).utf8).write(to: URL(fileURLWithPath: file))
        let v = buddylab(["validate", file])
        #expect(v.status == 2)
        #expect(v.stderr.contains("the file has more than 1000000 YAML nodes (the per-file node limit;"), "\(v.stderr)")
        #expect(v.stderr.contains("split the script or use repeat:"))
        #expect(!v.stderr.contains("alias"))
    }
}
