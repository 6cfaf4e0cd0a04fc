import BuddyCore
import BuddyExperiment
import BuddyVariants
import Foundation
import Testing

/// `machine:` zone shapes (issue 10): zone `start`, `holes`, `present`, and `preset: x86_64-pc`.
@Suite struct ZoneShapeDecodeTests {
    /// The 24 GiB QEMU pc guest of ../shared/fixtures/zoneinfo-6.18-x86_64.txt: DMA start_pfn 1,
    /// spanned 4095, present 3998; DMA32 start_pfn 4096, spanned 1044480, present 782336;
    /// Normal start_pfn 1048576, spanned = present = 5505024.
    @Test func x86_64PCPresetMatchesARealZoneinfo() throws {
        let e = try Experiment.decode(yaml: Snippet.experiment(machine: """
            machine:
              preset: x86_64-pc
              ram: 24GiB
            """))
        let l = e.machine.layout
        #expect(l.zones.map(\.name) == ["DMA", "DMA32", "Normal"])
        #expect((0..<3).map { l.zoneStart($0) } == [1, 4096, 1_048_576])
        #expect(l.zones.map(\.pages) == [4095, 1_044_480, 5_505_024])
        #expect(l.zones.map(\.presentPages) == [3998, 782_336, 5_505_024])
        #expect(l.geometry == .x86_64)
    }

    /// Below 3.5 GiB a pc guest keeps all its RAM under 4 GiB: no Normal zone, no PCI hole.
    @Test func smallPCHasNoNormalZone() throws {
        let e = try Experiment.decode(yaml: Snippet.experiment(machine: """
            machine:
              preset: x86_64-pc
              ram: 2GiB
            """))
        let l = e.machine.layout
        #expect(l.zones.map(\.name) == ["DMA", "DMA32"])
        #expect(l.zones[1].pages == 0x80000 - 0x1000 && l.zones[1].holes.isEmpty)
    }

    @Test func zonesTakeStartHolesAndPresent() throws {
        let e = try Experiment.decode(yaml: Snippet.experiment(machine: """
            machine:
              memory_block: 16MiB
              zones:
                - { name: DMA, start: pfn:1, size: 4095 pages, holes: [ { start: pfn:0x9f, size: 97 pages } ] }
                - { name: Normal, size: 64MiB, present: 48MiB }
            """))
        let l = e.machine.layout
        #expect(l.zones[0].holes == [0x9f..<0x100])
        #expect(l.zones[1].holes == [0x4000..<0x5000])
        #expect(l.zones.map(\.presentPages) == [3998, 0x3000])
        #expect(e.machine.blocks(ofZone: 1) == 1..<5)
    }

    @Test func holeOutsideItsZoneIsRejected() {
        let error = decodeError(Snippet.experiment(machine: """
            machine:
              zones:
                - { name: Normal, size: 64MiB, holes: [ { start: 64MiB, size: 4KiB } ] }
            """))
        #expect(error?.description.contains("holes must be non-empty, ascending, disjoint and inside the zone") == true)
    }

    /// experiments/zone-shapes.yaml: every variant's final /proc/zoneinfo summary states the
    /// layout the file describes (spanned / present / managed, start_pfn), with block 3 back online.
    @Test func zoneShapesExperimentZoneinfoMatchesItsLayout() throws {
        let e = try Experiment.load(contentsOf: Paths.experiments.appendingPathComponent("zone-shapes.yaml").path)
        let program = WorkloadGenerator.generate(e, seed: 1).program
        for v in Variants.all {
            let raw = v.run(program, RunOptions())
            let lines = raw.zoneinfo.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(lines.filter { $0.hasPrefix("spanned") } == ["spanned  4095", "spanned  6144", "spanned  6144"], "\(v.id)")
            #expect(lines.filter { $0.hasPrefix("present") } == ["present  3998", "present  6144", "present  6144"], "\(v.id)")
            #expect(lines.filter { $0.hasPrefix("managed") } == ["managed  3998", "managed  6144", "managed  6144"], "\(v.id)")
            #expect(lines.filter { $0.hasPrefix("start_pfn") } == ["start_pfn:           1", "start_pfn:           4096",
                                                                   "start_pfn:           10240"], "\(v.id)")
            // Block 0 (pfn 0 and the hole): -EINVAL "memory holes" from v5.5, -EBUSY in the v3.x eras.
            let holes: OpResult = v.era == "era-2012" || v.era == "era-2014" ? .ebusy : .einval
            #expect(raw.ops.prefix(4).map(\.result) == [holes, .einval, .ok, .ok], "\(v.id)")
            #expect(raw.metrics["invariant_violations"] == 0)
        }
    }
}
