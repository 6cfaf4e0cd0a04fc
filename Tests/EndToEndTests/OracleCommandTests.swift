import Foundation
import Testing

/// `buddylab oracle` (contract, "Additions planned"): `0 mismatches` and exit 0 on agreement;
/// exit 1 with both states and a reproducing experiment at the first mismatch; exit 2 with the
/// flag or file:line named on bad input. Runs on recorded logs (`--from-log`): no kernel needed.
@Suite struct OracleCommandTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("BuddyOracleTests/Fixtures")
    static let synthetic = fixtures.appendingPathComponent("synthetic-6.1.log").path

    func temp(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("oracle-e2e-\(UUID().uuidString)-\(name)").path
    }

    @Test func agreementPrintsZeroMismatches() {
        let r = buddylab(["oracle", "--kernel", "6.1", "--variant", "linux-5.19", "--from-log", Self.synthetic])
        #expect(r.status == 0)
        #expect(r.stdout.contains("13 commands, 0 mismatches"))
    }

    @Test func realKernelLogAgrees() {
        let r = buddylab(["oracle", "--kernel", "6.1", "--from-log", Self.fixtures.appendingPathComponent("kernel-6.1-smoke-cma64M.log").path])
        #expect(r.status == 0 && r.stdout.contains("16 commands, 0 mismatches"))
    }

    @Test func mismatchExitsOneWithBothSidesAndAReproducer() throws {
        let text = try String(contentsOfFile: Self.synthetic, encoding: .utf8)
            .replacingOccurrences(of: "result 6 ok handle=3 pfn=0x600", with: "result 6 ok handle=3 pfn=0xa00")
        let log = temp("perturbed.log"), yaml = temp("repro.yaml")
        try text.write(toFile: log, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: log); try? FileManager.default.removeItem(atPath: yaml) }
        let r = buddylab(["oracle", "--kernel", "6.1", "--variant", "linux-5.19", "--from-log", log, "--reproducer", yaml])
        #expect(r.status == 1)
        #expect(r.stdout.contains("6 commands, 1 mismatch"))
        #expect(r.stdout.contains("mismatch after command 6: alloc 9 movable"))
        #expect(r.stdout.contains("result: kernel ok handle=3 pfn=0xa00 | simulator ok handle=3 pfn=0x600"))
        let reproducer = try String(contentsOfFile: yaml, encoding: .utf8)
        #expect(reproducer.contains("- alloc: { order: 9, type: movable, as: h3 }"))
        let cmds = try String(contentsOfFile: yaml + ".cmds", encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: yaml + ".cmds") }
        #expect(cmds.hasSuffix("alloc 0 movable\nalloc 3 unmovable\nfree 0\ncontig 0x800 512\nisolate 0xa00 512\nalloc 9 movable\n"))
        let v = buddylab(["validate", yaml])
        #expect(v.status == 0, "\(v.stderr)")
    }

    /// A driver `alloc … high` in a reproducer keeps the exact mask, written with the kernel's
    /// names (the driver's `bl_gfp` + `__GFP_HIGH`), and the reproducer validates.
    @Test func reproducerWritesTheDriverMaskByName() throws {
        let text = try String(contentsOfFile: Self.synthetic, encoding: .utf8)
            .replacingOccurrences(of: "cmd 6 alloc 9 movable", with: "cmd 6 alloc 9 movable high")
            .replacingOccurrences(of: "result 6 ok handle=3 pfn=0x600", with: "result 6 ok handle=3 pfn=0xa00")
        let log = temp("high.log"), yaml = temp("repro-high.yaml")
        try text.write(toFile: log, atomically: true, encoding: .utf8)
        defer { for f in [log, yaml, yaml + ".cmds"] { try? FileManager.default.removeItem(atPath: f) } }
        let r = buddylab(["oracle", "--kernel", "6.1", "--variant", "linux-5.19", "--from-log", log, "--reproducer", yaml])
        #expect(r.status == 1)
        let reproducer = try String(contentsOfFile: yaml, encoding: .utf8)
        #expect(reproducer.contains("- alloc: { order: 9, type: movable, gfp: \"__GFP_MOVABLE|__GFP_HIGH|__GFP_NOWARN|__GFP_NORETRY\", as: h3 }"), "\(reproducer)")
        #expect(!reproducer.contains("rawValue"))
        let v = buddylab(["validate", yaml])
        #expect(v.status == 0, "\(v.stderr)")
    }

    static let badInputs: [([String], String)] = [
        (["oracle", "--kernel", "6.3", "--random", "5"], "--kernel: '6.3' is not 6.1 or 6.12"),
        (["oracle", "--kernel", "6.1", "--variant", "no-such", "--random", "5"], "--variant: unknown variant 'no-such'"),
        (["oracle", "--kernel", "6.1"], "give exactly one of --random N, EXP.yaml, --commands FILE or --from-log FILE"),
        (["oracle", "--kernel", "6.1", "--random", "5", "--from-log", "x.log"], "give exactly one of"),
        (["oracle", "--kernel", "6.1", "--random", "0"], "--random: N must be 1…100000 (one kernel batch), not 0"),
        (["oracle", "--kernel", "6.1", "--from-log", "/no/such.log"], "--from-log /no/such.log: cannot open: No such file or directory"),
    ]

    @Test(arguments: badInputs)
    func badInputExitsTwo(arguments: [String], message: String) {
        let r = buddylab(arguments)
        #expect(r.status == 2)
        #expect(r.stderr.contains(message), "\(r.stderr)")
    }

    @Test func brokenLogNamesItsLine() throws {
        let text = try String(contentsOfFile: Self.synthetic, encoding: .utf8).replacingOccurrences(of: "result 2 ok", with: "result 2 okay")
        let log = temp("broken.log")
        try text.write(toFile: log, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: log) }
        let r = buddylab(["oracle", "--kernel", "6.1", "--from-log", log])
        #expect(r.status == 2)
        #expect(r.stderr.contains("\(log):"), "\(r.stderr)")
        #expect(r.stderr.contains("unknown result 'okay'"))
    }

    @Test func helpHasExamples() {
        let help = buddylab(["oracle", "--help"])
        #expect(help.status == 0 && help.stdout.contains("Examples:\n  buddylab oracle --kernel 6.1"))
    }

    @Test func experimentWithHotplugIsRefusedBeforeAnyBoot() throws {
        let yaml = temp("hotplug.yaml")
        try """
        schema: 1
        name: oracle-hotplug
        description: x
        machine: { preset: x86_64, memory_block: 128MiB, zones: [ { name: Normal, size: 256MiB } ] }
        variants: [linux-5.19]
        seeds: 1
        workload:
          - ops:
              - alloc: { order: 0, type: movable, as: a }
              - offline: { block: 1 }
        """.write(toFile: yaml, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: yaml) }
        let r = buddylab(["oracle", "--kernel", "6.1", yaml])
        #expect(r.status == 2)
        #expect(r.stderr.contains("\(yaml):10: memory hotplug is not run on a real kernel"), "\(r.stderr)")
    }
}

/// `--commands FILE` is checked line by line before anything boots.
@Suite struct OracleCommandFileTests {
    @Test func badCommandFileNamesItsLine() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("oracle-e2e-\(UUID().uuidString).cmds").path
        try "# a reproducer\nalloc 3 movable\nfree 0\nalloc 3 moveable\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = buddylab(["oracle", "--kernel", "6.1", "--commands", path])
        #expect(r.status == 2)
        #expect(r.stderr.contains("\(path):4:9: unknown allocation type 'moveable'"), "\(r.stderr)")
    }
}
