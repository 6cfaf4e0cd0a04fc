import BuddyResults
import Foundation
import Testing

/// Issue 14 end to end: a sweep run as N shards into N stores, merged, equals the single-process
/// run record for record (bytes apart from `timing` and `stored_at`); conflicts and a missing
/// shard; the merged sweep renders with its SVG charts.
@Suite struct ShardMergeTests {
    static let yaml = """
        schema: 1
        name: e2e-sweep
        description: Sweep fixture on a 16 MiB machine.
        sweep:
          fill: [30%, 60%]
          size: [2MiB, 4MiB]
        machine:
          memory_block: 4MiB
          zones:
            - { name: Normal, size: 16MiB }
        variants: [linux-5.18, zi-yan-v11, linux-5.19]
        seeds: 2
        workload:
          - fill: { until: $fill, mix: { movable: 80%, unmovable: 20% } }
          - contig: { count: 3, size: $size }
        expect:
          - { variant: all, metric: contig_attempts, equals: 3 }
        """

    /// Every record file of a store, relative path → JSON object without the wall-clock fields.
    static func timelessRecords(_ root: String) throws -> [String: NSDictionary] {
        var out: [String: NSDictionary] = [:]
        let enumerator = FileManager.default.enumerator(atPath: root)
        while let entry = enumerator?.nextObject() as? String {
            guard entry.hasSuffix(".json") else { continue }
            let data = try Data(contentsOf: URL(fileURLWithPath: root + "/" + entry))
            let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            var record = object
            record.removeValue(forKey: "stored_at")
            var run = try #require(record["run"] as? [String: Any])
            #expect(run["timing"] != nil)
            run.removeValue(forKey: "timing")
            record["run"] = run
            out[entry] = record as NSDictionary
        }
        return out
    }

    @Test(arguments: [2, 5])
    func mergedShardsEqualTheSingleProcessRun(shards: Int) throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.commit("sweep.yaml", Self.yaml, message: "sweep fixture")
        let file = ws.repo + "/sweep.yaml"
        let full = buddylab(["run", file, "--results", ws.path("full"), "--repo", ws.repo,
                             "--report", ws.path("full.md"), "--jobs", "2"])
        #expect(full.status == 0, "\(full.stderr)")
        var stores: [String] = []
        for i in 0..<shards {
            let store = ws.path("shards/\(i)")
            let r = buddylab(["run", file, "--shard", "\(i)/\(shards)", "--results", store, "--repo", ws.repo,
                              "--jobs", String(1 + i % 2)])
            #expect(r.status == 0, "\(r.stderr)")
            stores.append(store)
        }
        // A shard writes no report unless asked.
        #expect(!FileManager.default.fileExists(atPath: ws.repo + "/reports/e2e-sweep.md"))
        let merged = buddylab(["merge"] + stores + ["--into", ws.path("merged")])
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(merged.stdout.hasPrefix("merged 24 records from \(shards) stores"))
        let a = try Self.timelessRecords(ws.path("full"))
        let b = try Self.timelessRecords(ws.path("merged"))
        #expect(a.count == 4 * 3 * 2)
        #expect(Set(a.keys) == Set(b.keys))
        for (path, record) in a { #expect(b[path] == record, "\(path) differs") }
        // Rendering the merged store: the same tables as the single-process report.
        let report = buddylab(["report", "e2e-sweep", "--results", ws.path("merged"), "--repo", ws.repo,
                               "--out", ws.path("merged.md")])
        #expect(report.status == 0, "\(report.stderr)")
        let fullText = try ws.read("full.md"), mergedText = try ws.read("merged.md")
        // (image links name each report's own chart files, so they are left out of the comparison)
        let tables = { (s: String) in
            s.components(separatedBy: "## Metrics")[1].split(separator: "\n").filter { !$0.hasPrefix("![") }
        }
        #expect(tables(fullText) == tables(mergedText))
        #expect(mergedText.contains("runs present 24 of 24"))
        // Every picture the report links was written beside it (the pageblock heatmap at least).
        let links = mergedText.components(separatedBy: "](").dropFirst().compactMap { $0.split(separator: ")").first }
            .filter { $0.hasSuffix(".svg") }
        #expect(links.contains("merged.pageblocks.svg"))
        for link in links {
            let svg = try ws.read(String(link))
            #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\"") && svg.hasSuffix("</svg>\n"))
        }
    }

    @Test func conflictExits2AndWritesNothing() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.commit("sweep.yaml", Self.yaml, message: "sweep fixture")
        let file = ws.repo + "/sweep.yaml"
        #expect(buddylab(["run", file, "--shard", "0/2", "--results", ws.path("a"), "--repo", ws.repo]).status == 0)
        try FileManager.default.copyItem(atPath: ws.path("a"), toPath: ws.path("b"))
        // Tamper with one record of the copy: same identity, different result.
        let records = try Self.timelessRecords(ws.path("b")).keys.sorted()
        let victim = ws.path("b/" + records[0])
        let text = try String(contentsOfFile: victim, encoding: .utf8)
        try text.replacingOccurrences(of: "\"contig_attempts\" : 3", with: "\"contig_attempts\" : 4")
            .write(toFile: victim, atomically: true, encoding: .utf8)
        let r = buddylab(["merge", ws.path("a"), ws.path("b"), "--into", ws.path("merged")])
        #expect(r.status == 2)
        let id = String(records[0].dropLast(".json".count))
        #expect(r.stderr.contains("conflict: \(id):"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: ws.path("merged")))
    }

    /// One shard failed before writing anything: merge says so and keeps the others; the report
    /// marks the missing runs.
    @Test func missingShardLosesNothingElse() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.commit("sweep.yaml", Self.yaml, message: "sweep fixture")
        let file = ws.repo + "/sweep.yaml"
        #expect(buddylab(["run", file, "--shard", "0/2", "--results", ws.path("s0"), "--repo", ws.repo]).status == 0)
        let r = buddylab(["merge", ws.path("s0"), ws.path("s1"), "--into", ws.path("merged")])
        #expect(r.status == 0)
        #expect(r.stderr.contains("s1: no such store"))
        #expect(r.stdout.hasPrefix("merged 12 records from 1 store"))
        let report = buddylab(["report", "e2e-sweep", "--results", ws.path("merged"), "--repo", ws.repo,
                               "--out", ws.path("partial.md")])
        #expect(report.status == 0)
        #expect(try ws.read("partial.md").contains("runs present 12 of 24"))
    }

    @Test func badShardFlagExits2BeforeRunning() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.commit("sweep.yaml", Self.yaml, message: "sweep fixture")
        let r = buddylab(["run", ws.repo + "/sweep.yaml", "--shard", "2/2", "--results", ws.path("x"), "--repo", ws.repo])
        #expect(r.status == 2)
        #expect(r.stderr.contains("--shard I/N: I must be 0...1"))
        #expect(!FileManager.default.fileExists(atPath: ws.path("x")))
    }

    /// The same run stored twice inside the repository, into two stores and two JSON files:
    /// the records are identical duplicates (merge keeps one, exit 0) and the JSON documents
    /// differ only in `timing`. A revision note naming the output paths used to make them
    /// differ (found by a contract audit: `merge sA sB` exited 2 on "conflicts").
    @Test func runsThatWroteToDifferentPlacesAreIdentical() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.commit("sweep.yaml", Self.yaml, message: "sweep fixture")
        for name in ["a", "b"] {
            let r = buddylab(["run", ws.repo + "/sweep.yaml", "--results", ws.repo + "/s" + name, "--repo", ws.repo,
                              "--json", ws.repo + "/\(name).json", "--report", ws.repo + "/\(name).md"])
            #expect(r.status == 0, "\(r.stderr)")
        }
        #expect(try Self.timelessRecords(ws.repo + "/sa") == Self.timelessRecords(ws.repo + "/sb"))
        let merged = buddylab(["merge", ws.repo + "/sa", ws.repo + "/sb", "--into", ws.path("merged")])
        #expect(merged.status == 0, "\(merged.stderr)")
        func timeless(_ file: String) throws -> NSDictionary {
            let object = try #require(try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any])
            var doc = object
            let runs = try #require(doc["runs"] as? [[String: Any]])
            doc["runs"] = runs.map { run in var r = run; r.removeValue(forKey: "timing"); return r }
            return doc as NSDictionary
        }
        #expect(try timeless(ws.repo + "/a.json") == timeless(ws.repo + "/b.json"))
    }
}
