import BuddyCore
import BuddyVariants
import Foundation
import Testing
@testable import BuddyExperiment

/// `machine: { from_proc: … }` on the real 6.18 x86_64 files (experiments/proc/): the engine's
/// own `/proc` dumps right after the import equal the imported files.
@Suite struct ProcImportTests {
    static let dir = Paths.experiments.appendingPathComponent("proc")
    static func text(_ name: String) throws -> String {
        try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
    }

    /// The engine after the import and before any event.
    func imported(_ variant: String = "linux-5.19") throws -> (Machine<Combine<PageblockAlignment, AccountingMoveTime, MergeRules518, Era2022>>, Experiment) {
        let e = try Experiment.load(contentsOf: Paths.experiments.appendingPathComponent("proc-6-18.yaml").path)
        let m = Machine<Combine<PageblockAlignment, AccountingMoveTime, MergeRules518, Era2022>>(layout: e.machine.layout)
        m.importInitialState(try #require(e.machine.procImport).initialState(seed: 1))
        return (m, e)
    }

    @Test func zonesFollowZoneinfo() throws {
        let (_, e) = try imported()
        let l = e.machine.layout
        #expect(l.zones == [ZoneSpec(name: "DMA", pages: 0x1000), ZoneSpec(name: "DMA32", pages: 0x100000 - 0x1000),
                            ZoneSpec(name: "Normal", pages: 5_505_024)])
        #expect(l.ramStartPfn == 0 && l.geometry.maxOrder == 10 && l.geometry.pageblockOrder == 9)
        #expect(l.memoryBlockPages == 4096)  // 16 MiB: the DMA zone and every online part are whole blocks
    }

    /// /proc/buddyinfo, byte for byte (mm/vmstat.c frag_show_print layout).
    @Test func buddyinfoRoundTrips() throws {
        let (m, _) = try imported()
        #expect(m.procBuddyinfo() == (try Self.text("buddyinfo-6.18-x86_64.txt")))
    }

    /// /proc/pagetypeinfo: every free-list count and every pageblock count. (The engine prints
    /// a CMA row the CONFIG_CMA=n source kernel does not; its counts are all 0.)
    @Test func pagetypeinfoRoundTrips() throws {
        let (m, _) = try imported()
        let mine = try PagetypeinfoFile(text: m.procPagetypeinfo(), file: "engine")
        let theirs = try PagetypeinfoFile(text: try Self.text("pagetypeinfo-6.18-x86_64.txt"), file: "fixture")
        #expect(mine.pageblockOrder == theirs.pageblockOrder)
        for row in theirs.free {
            let engine = try #require(mine.free.first { $0.zone == row.zone && $0.type == row.type })
            #expect(engine.counts == row.counts, "\(row.zone) \(row.type.procName)")
        }
        for row in mine.free where row.type == .cma { #expect(row.counts.allSatisfy { $0 == 0 }) }
        for row in theirs.blocks {
            let engine = try #require(mine.blocks.first { $0.zone == row.zone })
            for (type, count) in row.counts { #expect(engine.counts[type] == count, "\(row.zone) \(type.procName)") }
        }
    }

    /// Every seed round-trips; the seeds place the pageblock runs differently.
    @Test func seedsPlaceDifferentlyAndAllRoundTrip() throws {
        let e = try Experiment.load(contentsOf: Paths.experiments.appendingPathComponent("proc-6-18.yaml").path)
        let imp = try #require(e.machine.procImport)
        let buddy = try Self.text("buddyinfo-6.18-x86_64.txt")
        var layouts: [[UInt8]] = []
        for seed: UInt64 in [1, 2, 3] {
            let s = imp.initialState(seed: seed)
            #expect(s == imp.initialState(seed: seed))
            typealias S = Combine<PageblockAlignment, AccountingMoveTime, MergeRules518, Era2022>
            let m = Machine<S>(layout: e.machine.layout)
            m.importInitialState(s)
            #expect(m.procBuddyinfo() == buddy, "seed \(seed)")
            #expect(m.structuralViolations().isEmpty)
            layouts.append(s.pageblockTypes)
        }
        #expect(Set(layouts).count > 1)
    }

    /// NR_FREE_PAGES equals zoneinfo's nr_free_pages per zone; the structure is sound.
    @Test func countersAndInvariants() throws {
        let (m, _) = try imported()
        #expect((0..<m.zoneCount).map { m.zone[$0].nrFreePages } == [3840, 772917, 123724])
        #expect(m.structuralViolations().isEmpty)
        #expect(m.drift().nrFreePages == 0)
        // Offline: the DMA32 hole (512 pageblocks = 64 blocks of 16 MiB) and Normal's unplugged
        // 9600 pageblocks (1200 blocks); managed = online pages.
        #expect(m.blockOnline.filter { !$0 }.count == 64 + 1200)
        #expect(m.zone[2].managedPages == 589_824)
    }

    /// The snapshot taken just before the second trace capture (a different moment of the same
    /// kind of VM: more of Normal online) round-trips too, through its experiment.
    @Test func traceSnapshotRoundTrips() throws {
        let e = try Experiment.load(contentsOf: Paths.experiments.appendingPathComponent("trace-git-clone-from-proc.yaml").path)
        typealias S = Combine<PageblockAlignment, AccountingMoveTime, MergeRules518, Era2022>
        let m = Machine<S>(layout: e.machine.layout)
        m.importInitialState(try #require(e.machine.procImport).initialState(seed: 1))
        let traces = Paths.experiments.appendingPathComponent("traces")
        let buddy = try String(contentsOf: traces.appendingPathComponent("git-clone-with-proc-6.18.buddyinfo.txt"), encoding: .utf8)
        #expect(m.procBuddyinfo() == buddy)
        let mine = try PagetypeinfoFile(text: m.procPagetypeinfo(), file: "engine")
        let theirs = try PagetypeinfoFile(text: try String(contentsOf: traces.appendingPathComponent("git-clone-with-proc-6.18.pagetypeinfo.txt"),
                                                           encoding: .utf8), file: "fixture")
        for row in theirs.free {
            #expect(mine.free.first { $0.zone == row.zone && $0.type == row.type }?.counts == row.counts)
        }
        for row in theirs.blocks {
            for (type, count) in row.counts { #expect(mine.blocks.first { $0.zone == row.zone }?.counts[type] == count) }
        }
        #expect(m.structuralViolations().isEmpty)
    }

    /// The same files give the same state (and workload hash) every time.
    @Test func deterministic() throws {
        let e = try Experiment.load(contentsOf: Paths.experiments.appendingPathComponent("proc-6-18.yaml").path)
        let again = try Experiment.load(contentsOf: Paths.experiments.appendingPathComponent("proc-6-18.yaml").path)
        #expect(e.machine == again.machine)
        #expect(WorkloadGenerator.generate(e, seed: 1).sha256 == WorkloadGenerator.generate(again, seed: 1).sha256)
    }

    @Test func inconsistentFilesAreLocated() throws {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("procimp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: tmp) }
        for name in ["zoneinfo", "pagetypeinfo"] {
            try Self.text("\(name)-6.18-x86_64.txt").write(to: tmp.appendingPathComponent("\(name).txt"), atomically: true, encoding: .utf8)
        }
        let buddy = try Self.text("buddyinfo-6.18-x86_64.txt").replacingOccurrences(of: "   206    751", with: "   207    751")
        try buddy.write(to: tmp.appendingPathComponent("buddyinfo.txt"), atomically: true, encoding: .utf8)
        let yaml = """
            schema: 1
            name: t
            machine:
              from_proc: { zoneinfo: zoneinfo.txt, pagetypeinfo: pagetypeinfo.txt, buddyinfo: buddyinfo.txt }
            workload:
              - fill: { until: 1% }
            """
        do {
            _ = try Experiment.decode(yaml: yaml, file: tmp.appendingPathComponent("t.yaml").path)
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "buddyinfo.txt:3:1: zone Normal order 0: buddyinfo has 207 free blocks, "
                    + "pagetypeinfo's lists sum to 206 (files from different moments?)")
        }
    }
}
