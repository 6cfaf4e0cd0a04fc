import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Issue 19: oracle logs and command files with numbers near Int.max, and every file a command
/// writes (`shrink --out`, `oracle --reproducer`, `merge --into`) through the output-target
/// rules of `--report`: exit 2 naming the flag before any work, nothing written, no special
/// file, symlink or input replaced. None of these boots a kernel (`--from-log`).
@Suite struct HostileOutputTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path
    static let log = root + "/Tests/BuddyOracleTests/Fixtures/kernel-6.1-random-seed1-first40.log"

    /// The fixture log with its first line starting `prefix` replaced by `line`.
    static func mutatedLog(_ ws: Workspace, _ prefix: String, _ line: String) throws -> String {
        var lines = try String(contentsOfFile: log, encoding: .utf8).components(separatedBy: "\n")
        let at = try #require(lines.firstIndex { $0.hasPrefix(prefix) })
        lines[at] = line
        let path = ws.path("l.log")
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test(arguments: [
        ("zone ", "zone Normal start_pfn=0x0 spanned=0xfffff000 present=131072 managed=127252",
         "l.log:4:27: zone spans 4294963200 pages: more than 4 TiB"),
        ("zone ", "zone Normal start_pfn=0x0 spanned=131072 present=131073 managed=127252",
         "l.log:4:42: present 131073 exceeds spanned 131072"),
        ("cmd 1 ", "cmd 1 contig 0x1 0x7fffffffffffffff", "l.log:32:18: page count=0x7fffffffffffffff is out of range (0…2^40)"),
        ("cmd 1 ", "cmd 1 cma_alloc 1 64", "l.log:32:19: align order=64 is out of range (0…15)"),
        ("watermark ", "watermark Normal min=9223372036854775807 low=891 high=1069 boost=0",
         "l.log:5:22: min=9223372036854775807 is out of range (0…2^40)"),
        ("counters ", "counters Normal nr_free_pages=-1 nr_free_cma_pages=16384",
         "l.log:9:31: nr_free_pages=-1 is out of range (0…2^40)"),
    ])
    func oracleLogNumbersAreBounded(_ prefix: String, _ line: String, _ message: String) throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let path = try Self.mutatedLog(ws, prefix, line)
        let r = buddylab(["oracle", "--kernel", "6.1", "--from-log", path, "--reproducer", ws.path("rep.yaml")])
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.hasPrefix("buddylab: error: " + ws.path(message)), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: ws.path("rep.yaml")))
    }

    @Test func foreignLostCannotOverflow() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        var text = try String(contentsOfFile: Self.log, encoding: .utf8)
        let end = try #require(text.range(of: "\nend\n"))
        text.replaceSubrange(end, with: "\nforeign lost 1099511627776\nforeign lost 1099511627776\nend\n")
        try text.write(toFile: ws.path("l.log"), atomically: true, encoding: .utf8)
        let r = buddylab(["oracle", "--kernel", "6.1", "--from-log", ws.path("l.log")])
        #expect(r.status == 2)
        #expect(r.stderr.contains("more than 2^40 lost foreign events"), "\(r.stderr)")
    }

    @Test func randomCountIsBounded() {
        let r = buddylab(["oracle", "--kernel", "6.1", "--random", "9223372036854775807"])
        #expect(r.status == 2)
        #expect(r.stderr == "buddylab: error: --random: N must be 1…100000 (one kernel batch), not 9223372036854775807\n")
    }

    @Test func commandFileErrorsHaveAColumn() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try "drain\ncontig 0x1 0x7fffffffffffffff\n".write(toFile: ws.path("c.cmds"), atomically: true, encoding: .utf8)
        let r = buddylab(["oracle", "--kernel", "6.1", "--commands", ws.path("c.cmds")])
        #expect(r.status == 2)
        #expect(r.stderr == "buddylab: error: \(ws.path("c.cmds")):2:12: page count=0x7fffffffffffffff is out of range (0…2^40)\n")
    }

    /// A log whose first command the simulator disagrees with (a `free` of an unknown handle):
    /// a mismatch, so `--reproducer` is written.
    func mismatchLog(_ ws: Workspace) throws -> String {
        try Self.mutatedLog(ws, "cmd 1 ", "cmd 1 free 1099511627776")
    }

    @Test func reproducerTargetsFollowTheOutputRules() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let log = try mismatchLog(ws)
        let before = try Data(contentsOf: URL(fileURLWithPath: log))
        // Its own input: refused before the comparison, the log unchanged.
        let own = buddylab(["oracle", "--kernel", "6.1", "--from-log", log, "--reproducer", log])
        #expect(own.status == 2)
        #expect(own.stderr == "buddylab: error: --reproducer \(log): is the input file \(log); refusing to overwrite it\n")
        #expect(try Data(contentsOf: URL(fileURLWithPath: log)) == before)
        // A directory: exit 2 up front (was exit 3 after the comparison).
        let dot = buddylab(["oracle", "--kernel", "6.1", "--from-log", log, "--reproducer", "."])
        #expect(dot.status == 2)
        #expect(dot.stderr == "buddylab: error: --reproducer .: is a directory\n")
        // `-` is standard output (no file named '-', no '-.cmds').
        let dash = buddylab(["oracle", "--kernel", "6.1", "--from-log", log, "--reproducer", "-"])
        #expect(dash.status == 1, "\(dash.stderr)")
        #expect(dash.stdout.contains("schema: 1"))
        #expect(!FileManager.default.fileExists(atPath: "-") && !FileManager.default.fileExists(atPath: "-.cmds"))
        // A symlink stays a link; its target gets the reproducer and the .cmds goes beside the link's path.
        try "old".write(toFile: ws.path("target.yaml"), atomically: true, encoding: .utf8)
        #expect(symlink(ws.path("target.yaml"), ws.path("link.yaml")) == 0)
        let link = buddylab(["oracle", "--kernel", "6.1", "--from-log", log, "--reproducer", ws.path("link.yaml")])
        #expect(link.status == 1, "\(link.stderr)")
        var info = stat()
        #expect(lstat(ws.path("link.yaml"), &info) == 0 && info.st_mode & S_IFMT == S_IFLNK)
        #expect(try String(contentsOfFile: ws.path("target.yaml"), encoding: .utf8).contains("schema: 1"))
        #expect(FileManager.default.fileExists(atPath: ws.path("link.yaml.cmds")))
    }

    @Test func shrinkOutFollowsTheOutputRules() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let yaml = ws.path("s.yaml")
        try TinyExperiment.yaml().write(toFile: yaml, atomically: true, encoding: .utf8)
        let before = try String(contentsOfFile: yaml, encoding: .utf8)
        let base = ["shrink", yaml, "--variant", "linux-5.19", "--until", "faults >= 0", "--max-tests", "3"]
        let own = buddylab(base + ["--out", yaml])
        #expect(own.status == 2)
        #expect(own.stderr == "buddylab: error: --out \(yaml): is the input file \(yaml); refusing to overwrite it\n")
        #expect(try String(contentsOfFile: yaml, encoding: .utf8) == before)
        let name = buddylab(base + ["--name", "é", "--out", ws.path("x.yaml")])
        #expect(name.status == 2)
        #expect(name.stderr == "buddylab: error: --name must match [a-z0-9-]+\n")
        // A character device is written through, never replaced by a regular file.
        let null = buddylab(base + ["--out", "/dev/null"])
        #expect(null.status == 0, "\(null.stderr)")
        var info = stat()
        #expect(stat("/dev/null", &info) == 0 && info.st_mode & S_IFMT == S_IFCHR)
        // The memory preflight runs before the shrink.
        let tiny = buddylab(base + ["--max-memory", "1KiB", "--out", ws.path("y.yaml")])
        #expect(tiny.status == 2)
        #expect(tiny.stderr.contains("machine needs") && tiny.stderr.contains("--max-memory"), "\(tiny.stderr)")
        #expect(!FileManager.default.fileExists(atPath: ws.path("x.yaml")) && !FileManager.default.fileExists(atPath: ws.path("y.yaml")))
    }

    @Test func divergeHasTheMemoryPreflight() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try TinyExperiment.yaml().write(toFile: ws.path("d.yaml"), atomically: true, encoding: .utf8)
        let r = buddylab(["diverge", ws.path("d.yaml"), "--variants", "linux-5.18,linux-5.19", "--max-memory", "1KiB"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("halved: diverge runs two machines"), "\(r.stderr)")
    }

    /// A workspace whose store holds the tiny experiment's records.
    static func storeWithOneRun() throws -> Workspace {
        let ws = try Workspace()
        try ws.commit("tiny.yaml", TinyExperiment.yaml(), message: "tiny")
        try ws.run("tiny.yaml", json: "run.json")
        return ws
    }

    @Test func mergeIntoIsCheckedUpFront() throws {
        let ws = try Self.storeWithOneRun()
        defer { ws.remove() }
        try "x".write(toFile: ws.path("file"), atomically: true, encoding: .utf8)
        #expect(symlink(ws.path("nowhere/store"), ws.path("dangling")) == 0)
        for (into, message) in [("", "--into: empty path"),
                                (ws.path("dangling"), "--into \(ws.path("dangling")): a dangling symlink; refusing to create a store through it"),
                                (ws.path("file/store"), "--into \(ws.path("file/store")): Not a directory")] {
            let r = buddylab(["merge", ws.results, "--into", into])
            #expect(r.status == 2)
            #expect(r.stderr == "buddylab: error: \(message)\n")
        }
        #expect(!FileManager.default.fileExists(atPath: ws.path("nowhere")))
    }

    @Test func mergeRemovesTemporariesOfDeadWriters() throws {
        let ws = try Self.storeWithOneRun()
        defer { ws.remove() }
        let into = ws.path("merged")
        let first = buddylab(["merge", ws.results, "--into", into])
        #expect(first.status == 0, "\(first.stderr)")
        // A temporary left by a killed writer (a pid that cannot be running: above pid_max) and
        // one of this live process, beside a record.
        let enumerator = try #require(FileManager.default.enumerator(atPath: into))
        var recordDir: String?
        while let entry = enumerator.nextObject() as? String {
            if entry.hasSuffix(".json") { recordDir = ((into + "/" + entry) as NSString).deletingLastPathComponent }
        }
        let dir = try #require(recordDir)
        let stale = dir + "/.seed-1.json.tmp-99999999-0123456789abcdef"
        let live = dir + "/.seed-1.json.tmp-\(getpid())-0123456789abcdef"
        try "partial".write(toFile: stale, atomically: false, encoding: .utf8)
        try "partial".write(toFile: live, atomically: false, encoding: .utf8)
        let second = buddylab(["merge", ws.results, "--into", into])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains("removed 1 stale temporary file"), "\(second.stderr)")
        #expect(!FileManager.default.fileExists(atPath: stale))
        #expect(FileManager.default.fileExists(atPath: live))
        unlink(live)
    }
}
