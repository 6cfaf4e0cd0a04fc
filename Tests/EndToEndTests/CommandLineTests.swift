import Foundation
import Testing

/// Help and bad input (issue 6, contract "Exit codes"): every command's --help shows examples;
/// a bad flag, value or variant exits 2 with a message naming the flag, and writes nothing.
@Suite struct CommandLineTests {
    static let commands = ["run", "validate", "variants", "report", "history", "compare"]

    @Test(arguments: commands)
    func helpHasExamples(command: String) throws {
        let help = buddylab([command, "--help"])
        #expect(help.status == 0)
        #expect(help.stderr == "")
        let lines = help.stdout.split(separator: "\n")
        let examples = try #require(lines.firstIndex(of: "Examples:"), "no examples in \(command) --help")
        try #require(examples + 1 < lines.count)
        #expect(lines[examples + 1].hasPrefix("  buddylab \(command)"), "first example of \(command)")
        // Examples must fit a terminal: ArgumentParser breaks longer lines mid-command.
        #expect(lines.filter { $0.hasPrefix("  buddylab ") }.allSatisfy { $0.count <= 80 })
    }

    @Test func rootHelpListsEveryCommand() {
        let help = buddylab(["--help"])
        #expect(help.status == 0)
        for command in Self.commands { #expect(help.stdout.contains("  \(command) "), "\(command)") }
    }

    /// (arguments, text the message must contain). The experiment file exists, so only the flag
    /// is wrong.
    static let badFlags: [([String], String)] = [
        (["run", "EXP", "--variants", "linux-5.18,no-such-variant"], "--variants: unknown variant 'no-such-variant'"),
        (["run", "EXP", "--no-such-flag"], "Unknown option '--no-such-flag'"),
        (["run", "EXP", "--seeds", "many"], "The value 'many' is invalid for '--seeds <seeds>'"),
        (["run", "EXP", "--seeds", "0"], "--seeds must be at least 1"),
        (["run", "EXP", "--jobs", "0"], "--jobs must be at least 1"),
        (["history", "e2e-tiny", "--metric", "no_such_metric"], "--metric: unknown metric 'no_such_metric'"),
        (["history", "e2e-tiny", "--variant", "no-such-variant"], "--variant: unknown variant 'no-such-variant'"),
        (["history", "e2e-tiny", "--limit", "0"], "--limit must be at least 1"),
        (["compare", "HEAD", "HEAD", "--threshold=-1"], "--threshold must be a percentage ≥ 0"),
        (["compare", "no-such-rev", "HEAD"], "REV_A 'no-such-rev'"),
        (["report", "e2e-tiny", "--format", "html"], "--format must be markdown, text or mmtests, not 'html'"),
    ]

    @Test(arguments: badFlags)
    func badFlagExitsTwoNamingIt(arguments: [String], message: String) throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.commit("tiny.yaml", TinyExperiment.yaml(), message: "add the e2e experiment")
        let args = arguments.map { $0 == "EXP" ? ws.repo + "/tiny.yaml" : $0 }
            + ["--results", ws.results, "--repo", ws.repo]
            + (arguments[0] == "run" ? ["--report", ws.path("r.md"), "--json", ws.path("r.json")] : [])
        let result = buddylab(args)
        #expect(result.status == 2, "\(args): \(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stdout == "")
        // Nothing is written when input is bad.
        #expect(!FileManager.default.fileExists(atPath: ws.results))
        #expect(!FileManager.default.fileExists(atPath: ws.path("r.md")))
        #expect(!FileManager.default.fileExists(atPath: ws.path("r.json")))
    }

    /// An output path that cannot be written is bad input found before anything runs: no
    /// record, no JSON, no report. A name with no stored results is bad input for history.
    @Test func unwritableOutputsAndUnknownNamesWriteNothing() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.commit("tiny.yaml", TinyExperiment.yaml(), message: "add the e2e experiment")
        try FileManager.default.createDirectory(atPath: ws.path("a-directory"), withIntermediateDirectories: true)
        let common = [ws.repo + "/tiny.yaml", "--results", ws.results, "--repo", ws.repo]
        let badReport = buddylab(["run"] + common + ["--report", ws.path("a-directory"), "--json", ws.path("r.json")])
        #expect(badReport.status == 2)
        #expect(badReport.stderr.contains("--report \(ws.path("a-directory")): is a directory"), "\(badReport.stderr)")
        let badJSON = buddylab(["run"] + common + ["--report", ws.path("r.md"), "--json", ws.path("a-directory")])
        #expect(badJSON.status == 2)
        #expect(badJSON.stderr.contains("--json \(ws.path("a-directory")): is a directory"), "\(badJSON.stderr)")
        #expect(!FileManager.default.fileExists(atPath: ws.results))
        #expect(!FileManager.default.fileExists(atPath: ws.path("r.md")))
        #expect(!FileManager.default.fileExists(atPath: ws.path("r.json")))

        let history = buddylab(["history", "no-such-experiment", "--results", ws.results, "--repo", ws.repo])
        #expect(history.status == 2)
        #expect(history.stderr.contains("no stored results for experiment 'no-such-experiment'"))
        #expect(history.stdout == "")
    }

    /// A YAML error names file:line:column; exit 2.
    @Test func badYAMLNamesThePosition() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let yaml = TinyExperiment.yaml().replacingOccurrences(of: "seeds: 3", with: "seedz: 3")
        try ws.commit("bad.yaml", yaml, message: "a typo")
        let result = buddylab(["validate", ws.repo + "/bad.yaml"])
        #expect(result.status == 2)
        let line = try #require(yaml.split(separator: "\n", omittingEmptySubsequences: false)
            .firstIndex { $0.hasPrefix("seedz:") }) + 1
        #expect(result.stderr.hasPrefix("buddylab: error: \(ws.repo)/bad.yaml:\(line):1: "), "\(result.stderr)")
    }
}
