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
