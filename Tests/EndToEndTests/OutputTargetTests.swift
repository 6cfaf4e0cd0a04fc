import BuddyResults
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Issue 12, defect 1: output paths that are not plain files. A device or FIFO is written
/// through (never replaced by a regular file), `-` and `/dev/stdout` are standard output, a
/// symlink's target is replaced atomically while the link stays, and an output equal to an input
/// or to another output is exit 2 with nothing written.
@Suite struct OutputTargetTests {
    /// `run` of the tiny experiment with the given outputs into the workspace's store.
    private func run(_ ws: Workspace, json: String?, report: String?, extra: [String] = []) -> CommandResult {
        var args = ["run", ws.repo + "/tiny.yaml", "--results", ws.results, "--repo", ws.repo]
        if let json { args += ["--json", json] }
        args += ["--report", report ?? ws.path("r.md")]
        return buddylab(args + extra)
    }

    private func fileType(_ path: String) -> mode_t {
        var info = stat()
        guard lstat(path, &info) == 0 else { return 0 }
        return info.st_mode & S_IFMT
    }

    private func workspace() throws -> Workspace {
        let ws = try Workspace()
        try ws.commit("tiny.yaml", TinyExperiment.yaml(), message: "add the e2e experiment")
        return ws
    }

    /// `--json -`: stdout is exactly the result document; the summary moves to stderr.
    @Test(arguments: ["-", "/dev/stdout"])
    func jsonToStandardOutput(path: String) throws {
        let ws = try workspace()
        defer { ws.remove() }
        let r = run(ws, json: path, report: nil)
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try ResultJSON.decode(ResultDocument.self, from: Data(r.stdout.utf8))
        #expect(doc.runs.count == TinyExperiment.variants.count * TinyExperiment.seeds.count)
        #expect(r.stderr.contains("\(TinyExperiment.name): PASS expectations 1/1 passed"))
        #expect(fileType("/dev/stdout") == S_IFLNK)
    }

    /// `report --out`: `-` is stdout; `/dev/full` is refused before the store is read.
    @Test func reportOutUsesTheSameRules() throws {
        let ws = try workspace()
        defer { ws.remove() }
        try ws.run("tiny.yaml", json: "run.json")
        let store = ["--results", ws.results, "--repo", ws.repo]
        let dash = buddylab(["report", TinyExperiment.name, "--out", "-"] + store)
        let plain = buddylab(["report", TinyExperiment.name] + store)
        #expect(dash.status == 0, "\(dash.stderr)")
        #expect(dash.stdout == plain.stdout)
        let full = buddylab(["report", TinyExperiment.name, "--out", "/dev/full"] + store)
        #expect(full.status == 2)
        #expect(full.stderr == "buddylab: error: --out /dev/full: the device refuses writes: No space left on device\n")
        #expect(full.stdout == "")
    }

    /// `/dev/full` refuses even an empty write: exit 2 before the run, the device untouched, no
    /// record, no JSON. (Before: renamed over, as root the device became a regular file.)
    @Test func deviceThatRefusesWritesIsBadInput() throws {
        let ws = try workspace()
        defer { ws.remove() }
        let r = run(ws, json: ws.path("r.json"), report: "/dev/full")
        #expect(r.status == 2)
        #expect(r.stderr == "buddylab: error: --report /dev/full: the device refuses writes: No space left on device\n")
        #expect(fileType("/dev/full") == S_IFCHR)
        #expect(!FileManager.default.fileExists(atPath: ws.results))
        #expect(!FileManager.default.fileExists(atPath: ws.path("r.json")))
    }

    /// `/dev/null` is written through and stays a device.
    @Test func devNullIsWrittenThrough() throws {
        let ws = try workspace()
        defer { ws.remove() }
        let r = run(ws, json: "/dev/null", report: "/dev/null", extra: [])
        // Both outputs on one device are one destination: refused.
        #expect(r.status == 2)
        #expect(r.stderr.contains("--report /dev/null: same destination as --json /dev/null"))
        let ok = run(ws, json: "/dev/null", report: nil)
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(fileType("/dev/null") == S_IFCHR)
        #expect(try ws.read("r.md").hasPrefix("# buddylab report: \(TinyExperiment.name)"))
    }

    /// A FIFO gets the document through its reader, and stays a FIFO.
    @Test func fifoIsWrittenThrough() async throws {
        let ws = try workspace()
        defer { ws.remove() }
        let fifo = ws.path("out.fifo")
        #expect(mkfifo(fifo, 0o600) == 0)
        // The reader opens the FIFO (blocking until the writer does) and reads to EOF.
        let reader = Task.detached { () -> Data in
            (try? FileHandle(forReadingFrom: URL(fileURLWithPath: fifo)).readToEnd()) ?? Data()
        }
        let r = run(ws, json: fifo, report: nil)
        #expect(r.status == 0, "\(r.stderr)")
        let data = await reader.value
        let doc = try ResultJSON.decode(ResultDocument.self, from: data)
        #expect(doc.experiment.name == TinyExperiment.name)
        #expect(fileType(fifo) == S_IFIFO)
    }

    /// A symlink stays a link; its target gets the document; no temporary file is left beside
    /// either.
    @Test func symlinkTargetIsReplacedBesideTheTarget() throws {
        let ws = try workspace()
        defer { ws.remove() }
        try FileManager.default.createDirectory(atPath: ws.path("a"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: ws.path("b"), withIntermediateDirectories: true)
        try Data("old\n".utf8).write(to: URL(fileURLWithPath: ws.path("b/real.json")))
        try FileManager.default.createSymbolicLink(atPath: ws.path("a/link.json"), withDestinationPath: "../b/real.json")
        let r = run(ws, json: ws.path("a/link.json"), report: nil)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(fileType(ws.path("a/link.json")) == S_IFLNK)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: ws.path("a/link.json")) == "../b/real.json")
        let doc = try ResultJSON.decode(ResultDocument.self, from: Data(contentsOf: URL(fileURLWithPath: ws.path("b/real.json"))))
        #expect(doc.experiment.name == TinyExperiment.name)
        #expect(try FileManager.default.contentsOfDirectory(atPath: ws.path("a")) == ["link.json"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: ws.path("b")) == ["real.json"])
    }

    /// `--json` naming the experiment (directly, through a symlink or a hard link) is exit 2 and
    /// the experiment file is unchanged.
    @Test func outputEqualToTheInputIsBadInput() throws {
        let ws = try workspace()
        defer { ws.remove() }
        let yaml = ws.repo + "/tiny.yaml"
        let before = try Data(contentsOf: URL(fileURLWithPath: yaml))
        try FileManager.default.createSymbolicLink(atPath: ws.path("alias.yaml"), withDestinationPath: yaml)
        try FileManager.default.linkItem(atPath: yaml, toPath: ws.path("hard.yaml"))
        for path in [yaml, ws.path("alias.yaml"), ws.path("hard.yaml")] {
            let r = run(ws, json: path, report: nil)
            #expect(r.status == 2, "\(path)")
            #expect(r.stderr == "buddylab: error: --json \(path): is the input file \(yaml); refusing to overwrite it\n")
            #expect(try Data(contentsOf: URL(fileURLWithPath: yaml)) == before)
        }
        // report --out naming the YAML file given as NAME.
        let out = buddylab(["report", yaml, "--out", yaml, "--results", ws.results, "--repo", ws.repo])
        #expect(out.status == 2)
        #expect(out.stderr.contains("--out \(yaml): is the input file"))
        #expect(!FileManager.default.fileExists(atPath: ws.results))
        #expect(!FileManager.default.fileExists(atPath: ws.path("r.md")))
    }

    /// A directory, a socket and two outputs on one file are refused up front.
    @Test func unwritableKindsAreBadInput() throws {
        let ws = try workspace()
        defer { ws.remove() }
        let socketPath = ws.path("s.sock")
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, byte) in socketPath.utf8.enumerated() { raw[i] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(bound == 0)
        let cases: [(String?, String, String)] = [
            (ws.root, ws.path("r.md"), "--json \(ws.root): is a directory"),
            (socketPath, ws.path("r.md"), "--json \(socketPath): is a socket"),
            (ws.path("same"), ws.path("same"), "--report \(ws.path("same")): same destination as --json \(ws.path("same"))"),
            ("-", "-", "--report -: same destination as --json -"),
        ]
        for (json, report, message) in cases {
            let r = run(ws, json: json, report: report)
            #expect(r.status == 2, "\(message)")
            #expect(r.stderr == "buddylab: error: \(message)\n" || r.stderr.hasPrefix("buddylab: error: \(message)"),
                    "\(r.stderr)")
            #expect(r.stdout == "")
            #expect(!FileManager.default.fileExists(atPath: ws.results))
        }
        #expect(fileType(socketPath) == S_IFSOCK)
    }
}
