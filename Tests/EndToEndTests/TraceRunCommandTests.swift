import Foundation
import Testing

/// `buddylab run` / `validate` on a `trace:` experiment through the binary: a bad trace line is
/// bad input (exit 2, trace file:line:column, nothing written); a good one runs and reports the
/// trace metrics.
@Suite struct TraceRunCommandTests {
    static let trace = """
        # tracer: nop
                    bash-1     [000] .....   1.000001: mm_page_alloc: page=00000000aaaa0002 pfn=0x400 order=0 migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE
                    bash-1     [001] .....   1.000002: mm_page_free: page=00000000aaaa0002 pfn=0x400 order=0
                    bash-1     [001] .....   1.000003: mm_page_free: page=00000000aaaa0009 pfn=0x999 order=0

        """

    func workspace(trace: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tracerun-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("traces"), withIntermediateDirectories: true)
        try trace.write(to: dir.appendingPathComponent("traces/t.txt"), atomically: true, encoding: .utf8)
        let yaml = """
            schema: 1
            name: tiny-trace
            machine:
              zones:
                - { name: Normal, size: 128MiB }
            variants: [linux-5.18, linux-5.19]
            workload:
              - trace: { file: traces/t.txt, mode: requests }
            expect:
              - { variant: all, metric: trace_untracked_frees, equals: 1 }
            """
        try yaml.write(to: dir.appendingPathComponent("t.yaml"), atomically: true, encoding: .utf8)
        return dir
    }

    @Test func runsAndReportsTraceMetrics() throws {
        let dir = try workspace(trace: Self.trace)
        defer { try? FileManager.default.removeItem(at: dir) }
        let json = dir.appendingPathComponent("r.json").path
        let r = buddylab(["run", dir.appendingPathComponent("t.yaml").path, "--results", dir.appendingPathComponent("res").path,
                          "--report", dir.appendingPathComponent("r.md").path, "--json", json])
        #expect(r.status == 0, "\(r.stderr)")
        let text = try String(contentsOfFile: json, encoding: .utf8)
        #expect(text.contains("\"trace_allocs\" : 1") && text.contains("\"trace_frees\" : 1"))
        #expect(text.contains("\"trace_untracked_frees\" : 1"))
    }

    /// Issue 25: `generate … | buddylab run` with `file: /dev/stdin` — the real executable, its
    /// standard input a pipe: the same workload (hash) and metrics as the file; a bad line on
    /// stdin is exit 2 at /dev/stdin:line:column with nothing written.
    @Test func aTraceOnStandardInput() throws {
        try #require(FileManager.default.isExecutableFile(atPath: SubprocessTests.executable), "no buddylab executable")
        let dir = try workspace(trace: Self.trace)
        defer { try? FileManager.default.removeItem(at: dir) }
        let yaml = try String(contentsOfFile: dir.appendingPathComponent("t.yaml").path, encoding: .utf8)
        try yaml.replacingOccurrences(of: "traces/t.txt", with: "/dev/stdin")
            .write(to: dir.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
        func run(_ file: String, stdin text: String?, json: String) throws -> (Int32, String) {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: SubprocessTests.executable)
            p.arguments = ["run", dir.appendingPathComponent(file).path, "--results", dir.appendingPathComponent("res-" + json).path,
                           "--report", dir.appendingPathComponent(json + ".md").path, "--json", dir.appendingPathComponent(json).path]
            let input = Pipe(), err = Pipe()
            p.standardInput = text == nil ? FileHandle.nullDevice : input
            p.standardOutput = FileHandle.nullDevice
            p.standardError = err
            try p.run()
            if let text { input.fileHandleForWriting.write(Data(text.utf8)); try input.fileHandleForWriting.close() }
            let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            return (p.terminationStatus, errors)
        }
        let (s1, e1) = try run("t.yaml", stdin: nil, json: "file.json")
        #expect(s1 == 0, "\(e1)")
        let (s2, e2) = try run("s.yaml", stdin: Self.trace, json: "pipe.json")
        #expect(s2 == 0, "\(e2)")
        func hashes(_ json: String) throws -> [String] {
            let text = try String(contentsOfFile: dir.appendingPathComponent(json).path, encoding: .utf8)
            return text.split(separator: "\n").filter { $0.contains("\"workload_sha256\"") }.map(String.init)
        }
        let fileHashes = try hashes("file.json")
        #expect(fileHashes.count == 2)
        #expect(try hashes("pipe.json") == fileHashes)
        let bad = Self.trace.replacingOccurrences(of: "pfn=0x999 order=0", with: "pfn=0x999 order=")
        let (s3, e3) = try run("s.yaml", stdin: bad, json: "bad.json")
        #expect(s3 == 2)
        #expect(e3.hasPrefix("buddylab: error: /dev/stdin:4:") && e3.contains("mm_page_free: order='' is not a number"), "\(e3)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("bad.json").path))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("res-bad.json").path))
        // Standard input that is not a pipe (here /dev/null, a character device) is refused at the file: node.
        let (s4, e4) = try run("s.yaml", stdin: nil, json: "null.json")
        #expect(s4 == 2)
        #expect(e4.hasPrefix("buddylab: error: \(dir.appendingPathComponent("s.yaml").path):8:20: trace /dev/stdin: a character "
                             + "device, not a regular file: traces are read from regular files or pipes"), "\(e4)")
    }

    @Test func badTraceLineIsBadInput() throws {
        let dir = try workspace(trace: Self.trace.replacingOccurrences(of: "pfn=0x999 order=0", with: "pfn=0x999 order="))
        defer { try? FileManager.default.removeItem(at: dir) }
        let json = dir.appendingPathComponent("r.json").path
        let r = buddylab(["run", dir.appendingPathComponent("t.yaml").path, "--results", dir.appendingPathComponent("res").path,
                          "--report", dir.appendingPathComponent("r.md").path, "--json", json])
        #expect(r.status == 2)
        #expect(r.stderr.contains("traces/t.txt:4:"), "\(r.stderr)")
        #expect(r.stderr.contains("mm_page_free: order='' is not a number"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: json))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("res").path))
        let v = buddylab(["validate", dir.appendingPathComponent("t.yaml").path])
        #expect(v.status == 2 && v.stderr.contains("traces/t.txt:4:"))
    }
}
