import BuddyCore
import BuddyExperiment
import BuddyVariants
import Testing

@Suite struct SchemaDecodeTests {
    @Test func defaults() throws {
        let e = try Experiment.decode(yaml: Snippet.experiment())
        #expect(e.machine.preset == "x86_64")
        #expect(e.machine.layout.geometry == .x86_64)
        #expect(e.machine.layout.memoryBlockPages == 32768)
        #expect(e.machine.layout.ramStartPfn == 0)
        #expect(e.variants == Variants.ids)
        #expect(e.baseline == "linux-5.18")
        // The default workload is a fill of movable order-0 pages: the same stream for every
        // seed, so one seed (see defaultSeedsFollowTheWorkloadsRandomness).
        #expect(e.seeds == [1])
        #expect(e.description == "")
        #expect(e.expectations.isEmpty)
    }

    /// Without `seeds:`, a workload that draws from the seed (fill of several types or orders,
    /// churn, contig, also inside a repeat) runs 10 seeds; one whose stream cannot differ between
    /// seeds (ops, hotplug by block, a one-type one-order fill) runs 1;
    /// a written `seeds:` always wins.
    @Test func defaultSeedsFollowTheWorkloadsRandomness() throws {
        let ops = "workload:\n  - ops:\n      - alloc: { order: 0, type: movable }"
        #expect(try Experiment.decode(yaml: Snippet.experiment(workload: ops)).seeds == [1])
        let churn = "workload:\n  - churn: { events: 100 }"
        #expect(try Experiment.decode(yaml: Snippet.experiment(workload: churn)).seeds == Array(1...10))
        let repeated = "workload:\n  - repeat: { times: 2, steps: [ { contig: { count: 1, size: 2MiB } } ] }"
        #expect(try Experiment.decode(yaml: Snippet.experiment(workload: repeated)).seeds == Array(1...10))
        let oneShape = "workload:\n  - fill: { until: 50%, mix: { movable: 100% }, orders: { 10: 100% } }"
        #expect(try Experiment.decode(yaml: Snippet.experiment(workload: oneShape)).seeds == [1])
        let hotplug = "workload:\n  - offline: { blocks: [0] }"
        #expect(try Experiment.decode(yaml: Snippet.experiment(workload: hotplug)).seeds == [1])
        #expect(try Experiment.decode(yaml: Snippet.experiment(workload: churn, extra: "seeds: 1")).seeds == [1])
    }

    @Test func seedsCountAndList() throws {
        #expect(try Experiment.decode(yaml: Snippet.experiment(extra: "seeds: 3")).seeds == [1, 2, 3])
        #expect(try Experiment.decode(yaml: Snippet.experiment(extra: "seeds: [7, 0x10, 1]")).seeds == [7, 16, 1])
    }

    @Test func variantsKeepRegistryOrderAndBaselineDefaultsToFirstWritten() throws {
        let e = try Experiment.decode(yaml: Snippet.experiment(extra: "variants: [linux-5.19, linux-3.5]"))
        #expect(e.variants == ["linux-3.5", "linux-5.19"])
        #expect(e.baseline == "linux-5.19")
        let f = try Experiment.decode(yaml: Snippet.experiment(extra: "variants: [linux-5.19, linux-5.18]\nbaseline: linux-5.19"))
        #expect(f.baseline == "linux-5.19")
    }

    @Test func machineOverridesAndUnits() throws {
        let machine = """
            machine:
              preset: arm64-16k
              max_order: 12
              pageblock_order: 10
              memory_block: 8192 pages
              ram_start: pfn:0x8000
              zones:
                - { name: DMA32, size: 256MiB }
                - { name: Movable, size: 16384 pages }
              cma:
                - { name: cma0, size: 32MiB }
                - { name: cma1, size: 32MiB, base: 0x20000000 }
            """
        let e = try Experiment.decode(yaml: Snippet.experiment(machine: machine))
        let l = e.machine.layout
        #expect(l.geometry == Geometry(pageShift: 14, maxOrder: 12, pageblockOrder: 10))
        #expect(l.memoryBlockPages == 8192)
        #expect(l.ramStartPfn == 0x8000)
        #expect(l.zones == [ZoneSpec(name: "DMA32", pages: 16384), ZoneSpec(name: "Movable", pages: 16384)])
        // cma1 is at byte 512 MiB = pfn 0x8000 (the first pfn of RAM); cma0 is placed top-down
        // below the end of DMA32 (the last non-Movable zone), aligned to 4096 pages.
        #expect(l.cma == [CMASpec(name: "cma0", pages: 2048, basePfn: 0x8000 + 16384 - 4096),
                          CMASpec(name: "cma1", pages: 2048, basePfn: 0x8000)])
        #expect(e.machine.blockCount == 4)
    }

    @Test func arm64With64KPagesGetsAMemoryBlockOfOnePageblock() throws {
        let machine = "machine:\n  preset: arm64-64k\n  zones:\n    - { name: Normal, size: 1GiB }"
        let e = try Experiment.decode(yaml: Snippet.experiment(machine: machine))
        #expect(e.machine.layout.memoryBlockPages == 8192)  // 512 MiB, the pageblock
    }

    @Test func scriptedOpsAreNumberedInFileOrderAcrossPhases() throws {
        let workload = """
            workload:
              - ops:
                  - alloc: { order: 3, type: movable, as: a1 }
                  - sample: drift
                  - free: a1
              - fill: { until: 5% }
              - ops:
                  - contig: { start: 0x600, pages: 512, hold: true }
                  - cma_declare: { base: 8MiB, size: 4MiB }
                  - offline: { block: 0 }
                  - online: { block: 0 }
                  - watermark: { zone: Normal, mark: min }
            """
        let e = try Experiment.decode(yaml: Snippet.experiment(workload: workload))
        #expect(e.scriptedOps.map(\.index) == Array(0..<7))
        #expect(e.scriptedOps.map(\.keyword) == ["alloc", "free", "contig", "cma_declare", "offline", "online", "watermark"])
        #expect(e.scriptedOps[2].kind == .contig(start: 0x600, pages: 512, hold: true))
        #expect(e.scriptedOps[3].kind == .cmaDeclare(basePfn: 0x800, pages: 1024))
        #expect(e.scriptedOps[6].kind == .watermark(zone: 0, mark: 0, order: 0))
        #expect(e.opLabels[2] == "contig 0x600+512 hold")
    }

    @Test func expectEntries() throws {
        let extra = """
            variants: [linux-5.18, linux-5.19]
            expect:
              - { variant: linux-5.18, metric: contig_successes, min: 1, max: 9 }
              - { metric: nr_free_pages_drift, less_than_variant: linux-5.18 }
            """
        let e = try Experiment.decode(yaml: Snippet.experiment(extra: extra))
        #expect(e.expectations[0].check == .metric("contig_successes", [.min(1), .max(9)]))
        #expect(e.expectations[0].text == "linux-5.18: contig_successes min 1, max 9")
        #expect(e.expectations[1].variant == nil)
        #expect(e.expectations[1].line == 11)
    }

    @Test func selectionOverrides() throws {
        let e = try Experiment.decode(yaml: Snippet.experiment(extra: "variants: [linux-5.18, linux-5.19]\nseeds: 4"))
        // --variants intersects with the experiment's own list (contract): linux-3.5 is not in it.
        let s = try e.selecting(variants: ["linux-5.19", "linux-3.5"], seedCount: 2)
        #expect(s.variants == ["linux-5.19"])
        #expect(s.baseline == "linux-5.19")
        #expect(s.seeds == [1, 2])
        #expect(try e.selecting(variants: ["linux-5.19", "linux-5.18"], seedCount: nil).variants == ["linux-5.18", "linux-5.19"])
        #expect(throws: ExperimentSelectionError.self) { try e.selecting(variants: ["linux-9"], seedCount: nil) }
        #expect(throws: ExperimentSelectionError.self) { try e.selecting(variants: ["linux-3.5"], seedCount: nil) }
    }

    @Test func machineDescriptionLines() throws {
        let e = try Experiment.decode(yaml: Snippet.experiment())
        let lines = MachineDescription.lines(for: e)
        #expect(lines.map(\.name) == ["preset", "page size", "max order", "pageblock order", "memory block",
                                      "ram_start", "zone Normal"])
        #expect(lines[1].value == "4KiB")
        #expect(lines[4].value.hasPrefix("128MiB (32768 pages"))
        #expect(lines[6].value.hasPrefix("128MiB (32768 pages), pfn 0x0–0x7fff, blocks 0–0"))
    }
}
