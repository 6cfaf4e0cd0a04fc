import Foundation
import Testing

/// `buddylab diverge` and `buddylab shrink` through the binary: output, exit codes, bad input.
@Suite struct DivergeShrinkCommandTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static func experiment(_ name: String) -> String { repository.appendingPathComponent("experiments/\(name)").path }

    @Test(arguments: ["diverge", "shrink"])
    func helpHasExamples(command: String) throws {
        let help = buddylab([command, "--help"])
        #expect(help.status == 0)
        let lines = help.stdout.split(separator: "\n")
        let examples = try #require(lines.firstIndex(of: "Examples:"))
        #expect(lines[examples + 1].hasPrefix("  buddylab \(command)"))
        #expect(lines.filter { $0.hasPrefix("  buddylab ") }.allSatisfy { $0.count <= 80 })
    }

    /// Exit 1 and the event when the states part; exit 0 when they never do.
    @Test func divergeExitCodes() {
        let parted = buddylab(["diverge", Self.experiment("hanjun-cma-race.yaml"), "--variants", "linux-3.18,linux-4.6"])
        #expect(parted.status == 1)
        #expect(parted.stdout.contains("first divergence after event 5 of 38\n  event 5: free request #3 [script op 5]\n"))
        let same = buddylab(["diverge", Self.experiment("hanjun-cma-race.yaml"), "--variants", "linux-5.18,linux-5.19"])
        #expect(same.status == 0)
        #expect(same.stdout.contains("never diverge"))
    }

    /// A sweep file: the point used is named — the first by default, `--point K` for another;
    /// a point outside the sweep, or `--point` on a plain experiment, is bad input.
    @Test func divergeNamesTheSweepPoint() {
        let sweep = Self.experiment("contig-sweep.yaml")
        let first = buddylab(["diverge", sweep, "--variants", "linux-5.19,linux-6.1"])
        #expect(first.stdout.hasPrefix("sweep point 0 of 18: fill=10% contig_size=2MiB (the first; choose another with --point K)\n"), "\(first.stdout)")
        let third = buddylab(["diverge", sweep, "--variants", "linux-5.19,linux-6.1", "--point", "3"])
        #expect(third.stdout.hasPrefix("sweep point 3 of 18: fill=20% contig_size=4MiB\n"), "\(third.stdout)")
        let out = buddylab(["diverge", sweep, "--variants", "linux-5.19,linux-6.1", "--point", "18"])
        #expect(out.status == 2 && out.stderr.contains("--point 18: \(sweep) has sweep points 0…17"), "\(out.stderr)")
        let plain = buddylab(["diverge", Self.experiment("hanjun-cma-race.yaml"), "--variants", "linux-5.18,linux-5.19", "--point", "0"])
        #expect(plain.status == 2 && plain.stderr.contains("has no sweep: section"), "\(plain.stderr)")
    }

    @Test(arguments: [
        (["diverge", "EXP", "--variants", "linux-5.18"], "--variants takes exactly two different ids"),
        (["diverge", "EXP", "--variants", "linux-5.18,nope"], "--variants: unknown variant 'nope'"),
        (["shrink", "EXP", "--variant", "linux-3.7", "--until", "no_metric > 1"], "--until: unknown metric 'no_metric'"),
        (["shrink", "EXP", "--variant", "nope", "--until", "faults > 0"], "--variant: unknown variant 'nope'"),
        (["shrink", "EXP", "--variant", "linux-3.8", "--until", "nr_free_pages_drift != 0"], "nothing to shrink"),
    ])
    func badInputExitsTwo(arguments: [String], message: String) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dsc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out.yaml").path
        let args = arguments.map { $0 == "EXP" ? Self.experiment("offline-online-drift.yaml") : $0 }
            + (arguments[0] == "shrink" ? ["--out", out] : [])
        let r = buddylab(args)
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.contains(message), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    /// The written file is an experiment `run` accepts, and it still drifts.
    @Test func shrinkWritesARunnableExperiment() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dsc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("min.yaml").path
        let r = buddylab(["shrink", Self.experiment("offline-online-drift.yaml"), "--variant", "minchan-2012-06-18",
                          "--until", "nr_free_pages_drift != 0", "--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("offline-online-drift seed 1, minchan-2012-06-18, until 'nr_free_pages_drift != 0': "
                                   + "1 of 15 events kept"))
        let json = dir.appendingPathComponent("r.json").path
        let run = buddylab(["run", out, "--results", dir.appendingPathComponent("res").path,
                            "--report", dir.appendingPathComponent("r.md").path, "--json", json])
        #expect(run.status == 0, "\(run.stderr)")
        let text = try String(contentsOfFile: json, encoding: .utf8)
        #expect(text.contains("\"nr_free_pages_drift\" : -32768"))
    }
}
