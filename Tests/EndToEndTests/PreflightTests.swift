import BuddyExperiment
import Foundation
import Testing

/// Issue 12, defects 3, 4, 5 and 7 (flags): what used to fail late — after records or the JSON
/// were written, with exit 3 — is now exit 2 naming the key or flag, with nothing written.
@Suite struct PreflightTests {
    private func workspace(_ yaml: String = TinyExperiment.yaml()) throws -> Workspace {
        let ws = try Workspace()
        try ws.commit("tiny.yaml", yaml, message: "add the e2e experiment")
        return ws
    }

    /// Nothing of a run reached the disk: no store, no JSON, no report.
    private func nothingWritten(_ ws: Workspace, store: String? = nil) {
        #expect(!FileManager.default.fileExists(atPath: store ?? ws.results))
        #expect(!FileManager.default.fileExists(atPath: ws.path("r.json")))
        #expect(!FileManager.default.fileExists(atPath: ws.path("r.md")))
    }

    private func run(_ ws: Workspace, results: String, _ extra: [String] = []) -> CommandResult {
        buddylab(["run", ws.repo + "/tiny.yaml", "--results", results, "--repo", ws.repo,
                  "--json", ws.path("r.json"), "--report", ws.path("r.md")] + extra)
    }

    /// Defect 3: a `--results` that is a file, lies below a file, or is `/dev/null`.
    @Test func unusableResultsIsBadInput() throws {
        let ws = try workspace()
        defer { ws.remove() }
        try Data("not a store\n".utf8).write(to: URL(fileURLWithPath: ws.path("file")))
        let cases = [
            (ws.path("file"), "--results \(ws.path("file")): not a directory"),
            (ws.path("file/below"), "--results \(ws.path("file/below")): Not a directory"),
            ("/dev/null", "--results /dev/null: not a directory"),
        ]
        for (results, message) in cases {
            let r = run(ws, results: results)
            #expect(r.status == 2, "\(results)")
            #expect(r.stderr == "buddylab: error: \(message)\n", "\(r.stderr)")
            #expect(r.stdout == "")
            nothingWritten(ws)
        }
        #expect(try ws.read("file") == "not a store\n")
        // Readers say "not a directory" too, not "no stored results" (defect 7).
        for command in [["report", TinyExperiment.name], ["history", TinyExperiment.name], ["compare", "HEAD", "HEAD"]] {
            let r = buddylab(command + ["--results", ws.path("file"), "--repo", ws.repo])
            #expect(r.status == 2, "\(command)")
            #expect(r.stderr.contains("--results \(ws.path("file")): not a directory"), "\(r.stderr)")
        }
    }

    /// Defect 4: a name longer than the schema allows is refused at its line:column by validate
    /// and run; the longest allowed name validates.
    @Test func nameLengthIsCheckedByTheSchema() throws {
        let long = String(repeating: "a", count: Experiment.maxNameLength + 1)
        let yaml = TinyExperiment.yaml().replacingOccurrences(of: "name: \(TinyExperiment.name)", with: "name: \(long)")
        let ws = try workspace(yaml)
        defer { ws.remove() }
        let file = ws.repo + "/tiny.yaml"
        let message = "\(file):2:7: name is \(long.count) characters long; at most \(Experiment.maxNameLength) "
            + "are allowed (it becomes part of file names: reports/NAME.md, results/NAME/…)"
        let v = buddylab(["validate", file])
        #expect(v.status == 2)
        #expect(v.stderr == "buddylab: error: \(message)\n")
        let r = run(ws, results: ws.results)
        #expect(r.status == 2)
        #expect(r.stderr == "buddylab: error: \(message)\n")
        nothingWritten(ws)

        let longest = String(repeating: "b", count: Experiment.maxNameLength)
        try ws.commit("tiny.yaml", TinyExperiment.yaml().replacingOccurrences(of: "name: \(TinyExperiment.name)", with: "name: \(longest)"),
                      message: "longest name")
        let ok = buddylab(["validate", file])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.hasPrefix("\(file): ok (\(longest): "))
    }

    /// Defect 4: a `--json` basename too long for its temporary sibling, and an immutable
    /// existing target, are found by the probe before the run.
    @Test func outputPathsAreProbedBeforeTheRun() throws {
        let ws = try workspace()
        defer { ws.remove() }
        let longName = ws.path(String(repeating: "j", count: 250) + ".json")
        let r = buddylab(["run", ws.repo + "/tiny.yaml", "--results", ws.results, "--repo", ws.repo,
                          "--json", longName, "--report", ws.path("r.md")])
        #expect(r.status == 2)
        #expect(r.stderr == "buddylab: error: --json \(longName): cannot create a file in \(ws.root): File name too long\n")
        nothingWritten(ws)
        #expect(try FileManager.default.contentsOfDirectory(atPath: ws.root).allSatisfy { !$0.contains("jjjj") })

        // chattr +i (the test runs as root, as the defect report did; chattr must exist).
        let frozen = ws.path("frozen.json")
        try Data("{}\n".utf8).write(to: URL(fileURLWithPath: frozen))
        try chattr("+i", frozen)
        defer { try? chattr("-i", frozen) }
        let i = run(ws, results: ws.results, ["--json", frozen])
        #expect(i.status == 2)
        #expect(i.stderr == "buddylab: error: --json \(frozen): cannot be replaced: Operation not permitted (immutable or append-only?)\n",
                "\(i.stderr)")
        #expect(!FileManager.default.fileExists(atPath: ws.results))
        #expect(try String(contentsOfFile: frozen, encoding: .utf8) == "{}\n")
    }

    /// Defect 5: `--repo` that is not a repository is exit 2 for run and report too (history
    /// and compare already refused it).
    @Test func repoThatIsNotARepositoryIsBadInput() throws {
        let ws = try workspace()
        defer { ws.remove() }
        let missing = ws.path("no-such-repo")
        let r = buddylab(["run", ws.repo + "/tiny.yaml", "--results", ws.results, "--repo", missing,
                          "--json", ws.path("r.json"), "--report", ws.path("r.md")])
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("buddylab: error: --repo \(missing): not a git repository ("), "\(r.stderr)")
        nothingWritten(ws)
        for command in [["report", TinyExperiment.name], ["history", TinyExperiment.name], ["compare", "HEAD", "HEAD"]] {
            let c = buddylab(command + ["--results", ws.results, "--repo", missing])
            #expect(c.status == 2, "\(command)")
            #expect(c.stderr.contains("--repo \(missing)"), "\(c.stderr)")
        }
        // A plain directory is not a repository either.
        try FileManager.default.createDirectory(atPath: ws.path("plain"), withIntermediateDirectories: true)
        let plain = buddylab(["report", TinyExperiment.name, "--results", ws.results, "--repo", ws.path("plain")])
        #expect(plain.status == 2)
        #expect(plain.stderr.contains("--repo \(ws.path("plain")): not a git repository"))
    }

    /// Defect 7: `--variants` with a duplicate or an empty entry, as `variants:` in YAML refuses.
    @Test(arguments: [
        ("linux-5.18,linux-5.18", "--variants 'linux-5.18,linux-5.18': variant 'linux-5.18' is listed twice"),
        ("linux-5.18,", "--variants 'linux-5.18,': entry 2 of 2 is empty"),
        ("linux-5.18,,linux-5.19", "--variants 'linux-5.18,,linux-5.19': entry 2 of 3 is empty"),
        ("", "--variants '': entry 1 of 1 is empty"),
    ])
    func strictVariantList(list: String, message: String) throws {
        let ws = try workspace()
        defer { ws.remove() }
        let r = run(ws, results: ws.results, ["--variants", list])
        #expect(r.status == 2)
        #expect(r.stderr == "buddylab: error: \(message)\n", "\(r.stderr)")
        nothingWritten(ws)
    }

    /// Defect 7: lenient scalars, decided. Accepted: a quoted percentage, `+1`, a numeric name.
    /// Refused: an exponent in a percentage.
    @Test func lenientScalarsAreDeliberate() throws {
        let base = TinyExperiment.yaml()
        let accepted = [
            base.replacingOccurrences(of: "until: 60%", with: "until: '60%'"),
            base.replacingOccurrences(of: "schema: 1", with: "schema: +1"),
            base.replacingOccurrences(of: "name: \(TinyExperiment.name)", with: "name: 12"),
        ]
        let ws = try workspace()
        defer { ws.remove() }
        for (i, yaml) in accepted.enumerated() {
            let file = ws.path("ok\(i).yaml")
            try Data(yaml.utf8).write(to: URL(fileURLWithPath: file))
            let v = buddylab(["validate", file])
            #expect(v.status == 0, "\(yaml.prefix(40)): \(v.stderr)")
            let decoded = try Experiment.load(contentsOf: file)
            let original = try Experiment.decode(yaml: base, file: file)
            #expect(decoded.workload == original.workload)
        }
        #expect(try Experiment.load(contentsOf: ws.path("ok2.yaml")).name == "12")
        let file = ws.path("bad.yaml")
        try Data(base.replacingOccurrences(of: "until: 60%", with: "until: 6e1%").utf8).write(to: URL(fileURLWithPath: file))
        let bad = buddylab(["validate", file])
        #expect(bad.status == 2)
        #expect(bad.stderr == "buddylab: error: \(file):14:21: expected a percentage such as 80% or 12.5%, found '6e1%' (no exponents in percentages)\n",
                "\(bad.stderr)")
    }

    /// `chattr FLAG PATH`: an immutable directory refuses new files even to root, which is
    /// how these tests (run as root, like the defect report) get a directory nobody can write.
    private func chattr(_ flag: String, _ path: String) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/chattr")
        p.arguments = [flag, path]
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw Workspace.Failure(description: "chattr \(flag) \(path) failed") }
    }

    /// Defect 3's read-only directory: as `--results` and as the directory of `--json`.
    @Test func unwritableDirectoryIsBadInput() throws {
        let ws = try workspace()
        defer { ws.remove() }
        let locked = ws.path("locked")
        try FileManager.default.createDirectory(atPath: locked, withIntermediateDirectories: true)
        try chattr("+i", locked)
        defer { try? chattr("-i", locked) }
        let r = run(ws, results: locked)
        #expect(r.status == 2)
        #expect(r.stderr == "buddylab: error: --results \(locked): cannot create files in it: Operation not permitted\n",
                "\(r.stderr)")
        nothingWritten(ws, store: locked + "/" + TinyExperiment.name)
        let j = run(ws, results: ws.results, ["--json", locked + "/r.json"])
        #expect(j.status == 2)
        #expect(j.stderr == "buddylab: error: --json \(locked)/r.json: cannot create a file in \(locked): Operation not permitted\n",
                "\(j.stderr)")
        #expect(!FileManager.default.fileExists(atPath: ws.results))
        #expect(try FileManager.default.contentsOfDirectory(atPath: locked).isEmpty)
    }
}
