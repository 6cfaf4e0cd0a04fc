import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Issue 19: representative inputs of each class the hostile campaign found on the trace and
/// `/proc` surfaces and in sweeps (integer traps at parse boundaries, unbounded reads, silent
/// partial replays, quadratic checks). Each is exit 2 with the message located at
/// file:line:column of the offending input, and nothing is written.
@Suite struct HostileInputTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    /// A workspace with `t.yaml` replaying `traces/t.txt` in `mode`, and output paths.
    struct TraceCase {
        let ws: Workspace
        var yaml: String { ws.path("t.yaml") }
        var trace: String { ws.path("traces/t.txt") }
        var outputs: [String] { [ws.path("r.json"), ws.path("r.md"), ws.path("results")] }

        init(mode: String = "requests") throws {
            ws = try Workspace()
            try FileManager.default.createDirectory(atPath: ws.path("traces"), withIntermediateDirectories: true)
            try """
            schema: 1
            name: hostile-trace
            machine:
              zones:
                - { name: Normal, size: 128MiB }
            variants: [linux-5.19]
            workload:
              - trace: { file: traces/t.txt, mode: \(mode) }
            """.write(toFile: yaml, atomically: true, encoding: .utf8)
        }

        func write(_ bytes: [UInt8]) throws { try Data(bytes).write(to: URL(fileURLWithPath: trace)) }

        /// validate, then run with every output: both exit 2 with `message` (prefix) and nothing written.
        func expectRefused(_ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
            let v = buddylab(["validate", yaml])
            #expect(v.status == 2, "\(v.stderr)", sourceLocation: sourceLocation)
            #expect(v.stderr.hasPrefix("buddylab: error: " + message), "\(v.stderr)", sourceLocation: sourceLocation)
            let r = buddylab(["run", yaml, "--results", outputs[2], "--report", outputs[1], "--json", outputs[0],
                              "--repo", ws.repo, "--seeds", "1"])
            #expect(r.status == 2, "\(r.stderr)", sourceLocation: sourceLocation)
            #expect(r.stderr.hasPrefix("buddylab: error: " + message), "\(r.stderr)", sourceLocation: sourceLocation)
            for path in outputs {
                #expect(!FileManager.default.fileExists(atPath: path), "\(path) written", sourceLocation: sourceLocation)
            }
        }
    }

    static func line(_ fields: String, event: String = "mm_page_alloc") -> String {
        "  bash-1 [000] ..... 1.000001: \(event): \(fields)\n"
    }

    @Test func traceNumbersOutsideTheirRangeAreLocated() throws {
        let c = try TraceCase(mode: "pfn")
        defer { c.ws.remove() }
        // -2^63 trapped `validate` (negating Int.min); 2^63-1 passed it and trapped `run`.
        try c.write(Array(Self.line("page=0x1 pfn=-9223372036854775808 order=0 migratetype=1 gfp_flags=GFP_KERNEL").utf8))
        c.expectRefused("traces/t.txt:1:60: mm_page_alloc: pfn=-9223372036854775808 is out of range (0…2^52-1)")
        try c.write(Array(Self.line("page=0x1 pfn=0x7fffffffffffffff order=0 migratetype=1 gfp_flags=GFP_KERNEL").utf8))
        c.expectRefused("traces/t.txt:1:60: mm_page_alloc: pfn=0x7fffffffffffffff is out of range (0…2^52-1)")
        try c.write(Array(Self.line("page=0x1 pfn=0x10 order=1000", event: "mm_page_free").utf8))
        c.expectRefused("traces/t.txt:1:70: mm_page_free: order=1000 is out of range (0…15)")
    }

    @Test func textThatIsNotLinesIsRefused() throws {
        let c = try TraceCase()
        defer { c.ws.remove() }
        let event = Self.line("page=0x1 pfn=0x400 order=0 migratetype=1 gfp_flags=GFP_KERNEL").dropLast()
        // CR-only line ends read as one line holding every event (0 events) before.
        try c.write(Array((event + "\r" + event + "\r").utf8))
        c.expectRefused("traces/t.txt:1:\(event.utf8.count + 1): carriage return inside a line")
        try c.write(Array((event + "\0" + event + "\0").utf8))
        c.expectRefused("traces/t.txt:1:\(event.utf8.count + 1): NUL byte in the text")
        // A line longer than 64 KiB is refused at its first byte past the limit, not buffered.
        try c.write([UInt8](repeating: UInt8(ascii: "a"), count: (64 << 10) + 10))
        c.expectRefused("traces/t.txt:1:65537: line longer than 64 KiB")
    }

    @Test func specialFilesAreRefusedAtTheYAMLNode() throws {
        let c = try TraceCase()
        defer { c.ws.remove() }
        // A FIFO without a writer blocked `validate` forever (issue 19). Since issue 25 a FIFO is
        // a pipe a trace may come through, opened without waiting: with no writer within 5 s it
        // is refused (FileByteSource+Pipe.swift), `validate` and `run` alike, nothing written.
        #expect(mkfifo(c.trace, 0o600) == 0)
        c.expectRefused("\(c.yaml):8:20: trace traces/t.txt: a FIFO nothing writes to (no writer within 5 s)")
        unlink(c.trace)
        // /dev/zero grew a line without bound.
        #expect(symlink("/dev/zero", c.trace) == 0)
        c.expectRefused("\(c.yaml):8:20: trace traces/t.txt: a character device, not a regular file")
        unlink(c.trace)
        // `file: ""` named the experiment's directory.
        let text = try String(contentsOfFile: c.yaml, encoding: .utf8).replacingOccurrences(of: "traces/t.txt", with: "\"\"")
        try text.write(toFile: c.yaml, atomically: true, encoding: .utf8)
        c.expectRefused("\(c.yaml):8:20: trace file is empty")
    }

    @Test func truncatedGzipIsAnErrorNotAPartialReplay() throws {
        let c = try TraceCase()
        defer { c.ws.remove() }
        var text = ""
        for k in 0..<4000 {
            text += Self.line("page=0x1 pfn=0x\(String(0x400 + k, radix: 16)) order=0 migratetype=1 gfp_flags=GFP_KERNEL")
        }
        try text.write(toFile: c.ws.path("full.txt"), atomically: true, encoding: .utf8)
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/usr/bin/gzip")
        gzip.arguments = ["-c", c.ws.path("full.txt")]
        let out = Pipe()
        gzip.standardOutput = out
        try gzip.run()
        let compressed = [UInt8](out.fileHandleForReading.readDataToEndOfFile())
        gzip.waitUntilExit()
        try c.write(Array(compressed.prefix(compressed.count / 2)))
        let v = buddylab(["validate", c.yaml])
        #expect(v.status == 2)
        // Located at the line being read when the stream ended, the column past its last byte
        // (the lines before it parsed), then zlib's words.
        #expect(v.stderr.hasPrefix("buddylab: error: traces/t.txt:1988:"), "\(v.stderr)")
        #expect(!v.stderr.hasPrefix("buddylab: error: traces/t.txt:1988:0:"), "\(v.stderr)")
        #expect(v.stderr.contains("gzip: ") && v.stderr.hasSuffix(": unexpected end of file\n"), "\(v.stderr)")
    }

    // MARK: - /proc

    /// A `from_proc:` experiment over copies of the committed 6.18 files, one line replaced.
    func procCase(_ file: String, replace old: String, with new: String) throws -> (Workspace, CommandResult) {
        let ws = try Workspace()
        let base = Self.root + "/experiments/traces/git-clone-with-proc-6.18."
        for name in ["zoneinfo", "pagetypeinfo", "buddyinfo"] {
            var text = try String(contentsOfFile: base + name + ".txt", encoding: .utf8)
            if name == file {
                let range = try #require(text.range(of: old))
                text.replaceSubrange(range, with: new)
            }
            try text.write(toFile: ws.path(name + ".txt"), atomically: true, encoding: .utf8)
        }
        try """
        schema: 1
        name: hostile-proc
        machine:
          from_proc: { zoneinfo: zoneinfo.txt, pagetypeinfo: pagetypeinfo.txt, buddyinfo: buddyinfo.txt }
        variants: [linux-5.19]
        workload:
          - churn: { events: 10 }
        """.write(toFile: ws.path("p.yaml"), atomically: true, encoding: .utf8)
        return (ws, buddylab(["validate", ws.path("p.yaml")]))
    }

    @Test(arguments: [
        // (file, old text, new text, expected message after "buddylab: error: ")
        ("zoneinfo", "start_pfn:           1\n", "start_pfn:           9223372036854775807\n",
         "zoneinfo.txt:98:24: start_pfn=9223372036854775807 is out of range (0…2^52-1)"),
        ("zoneinfo", "spanned  4095", "spanned  9223372036854775807",
         "zoneinfo.txt:60:18: spanned=9223372036854775807 is out of range (0…2^40)"),
        ("zoneinfo", "present  3998", "present  4096", "zoneinfo.txt:61:18: zone DMA: present 4096 exceeds spanned 4095"),
        ("zoneinfo", "managed  3840", "managed  3999", "zoneinfo.txt:62:18: zone DMA: managed 3999 exceeds present 3998"),
        ("zoneinfo", "spanned  5505024", "spanned  2147483648",
         "zoneinfo.txt:152:18: zone Normal ends past 4 TiB of RAM"),
        ("pagetypeinfo", "type    Unmovable      0", "type    Unmovable      9223372036854775807",
         "pagetypeinfo.txt:5:50: free blocks=9223372036854775807 is out of range (0…2^40)"),
        ("pagetypeinfo", "type    Unmovable      0", "type    Unmovable      18014398509481984",
         "pagetypeinfo.txt:5:50: free blocks=18014398509481984 is out of range (0…2^40)"),
        ("pagetypeinfo", "type    Unmovable      0", "type    Unmovable      -3",
         "pagetypeinfo.txt:5:50: free blocks=-3 is out of range (0…2^40)"),
        ("pagetypeinfo", "DMA            1            7 ", "DMA            1            7000000 ",
         "pagetypeinfo.txt:22:1: zone DMA has 7000001 pageblocks counted but spans only 8"),
        ("buddyinfo", "Node 0, zone      DMA ", "Node 0, zone      DMA 0 0 0 0 0 0 0 0 0 0 ",
         "buddyinfo.txt:1:90: 21 orders (at most 16: orders 0…15)"),
    ])
    func procNumbersAreBoundedAndLocated(_ file: String, _ old: String, _ new: String, _ message: String) throws {
        let (ws, v) = try procCase(file, replace: old, with: new)
        defer { ws.remove() }
        #expect(v.status == 2)
        #expect(v.stderr.hasPrefix("buddylab: error: " + ws.path(message)) || v.stderr.hasPrefix("buddylab: error: " + message),
                "\(v.stderr)")
        #expect(v.stdout == "")
    }

    // MARK: - Sweeps

    func sweep(_ values: Int, seeds: Int) throws -> (Workspace, CommandResult) {
        let ws = try Workspace()
        let list = (1...values).map(String.init).joined(separator: ", ")
        try """
        schema: 1
        name: hostile-sweep
        machine:
          zones:
            - { name: Normal, size: 16MiB }
        variants: [linux-5.19]
        seeds: \(seeds)
        sweep:
          n: [\(list)]
        workload:
          - churn: { events: $n }
        """.write(toFile: ws.path("s.yaml"), atomically: true, encoding: .utf8)
        return (ws, buddylab(["validate", ws.path("s.yaml")]))
    }

    @Test func sweepRunsAreBoundedAtValidate() throws {
        // 10,000 points × 10,000 seeds passed validate, then `run --shard` planned 38 GB of tasks.
        let (ws, v) = try sweep(10_000, seeds: 10_000)
        defer { ws.remove() }
        #expect(v.status == 2)
        #expect(v.stderr == "buddylab: error: \(ws.path("s.yaml")):8:1: the sweep is 10000 points × 10000 seeds × 1 variants "
                + "= 100000000 runs, more than 1000000\n")
    }

    @Test func hugeSweepListIsRefusedBeforeTheDuplicateCheck() throws {
        // 200,000 values: the quadratic duplicate check ran before the point limit.
        let (ws, v) = try sweep(200_000, seeds: 1)
        defer { ws.remove() }
        #expect(v.status == 2)
        #expect(v.stderr == "buddylab: error: \(ws.path("s.yaml")):9:6: the sweep expands into more than 10000 points\n")
    }
}
