import BuddyCore
import BuddyExperiment
import BuddyOracle
import Foundation
import Testing

/// `run --kernel 6.1 --kernel-machine pc`: the experiment's memory hotplug on the x86_64 kernel
/// (KernelRunPlan+Hotplug.swift) — memory block b is the kernel's memoryb, `offline:`/`online:`
/// phases unrolled from `repeat:` as the simulation expands them — and metrics over every zone.
@Suite struct KernelColumnHotplugTests {
    static let yaml = """
        schema: 1
        name: kernel-hotplug
        description: hotplug plan
        machine:
          preset: x86_64
          memory_block: 16MiB
          zones:
            - { name: Normal, size: 32MiB }
        variants: [linux-6.1]
        baseline: linux-6.1
        seeds: 1
        workload:
          - repeat:
              times: 2
              steps:
                - offline: { blocks: [1] }
                - online: { blocks: [1] }
          - ops:
              - offline: { block: 0 }

        """

    func experiment() throws -> Experiment {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kernel-hotplug-\(UUID().uuidString).yaml").path
        try Self.yaml.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try Experiment.load(contentsOf: path)
    }

    /// On pc every step runs: the repeat's four (generated: they feed offline_ok/online_ok, not
    /// the ops table) and op 0, as the driver's `offline PFN 4096` of the kernel's block.
    @Test func hotplugRunsOnPC() throws {
        var plan = KernelRunPlan(try experiment(), hotplug: true)
        #expect(plan.notRun.isEmpty && plan.hasHotplug)
        plan.resolveHotplug(kernelBlockPages: 4096)
        let model = try makeKernelModel(variant: try Fixture.variant("linux-6.1"), log: try Fixture.log("synthetic-x86-3zones.log"))
        let (planned, skipped) = plan.commands(offset: 0, against: model)
        #expect(planned.map(\.command.text) == ["offline 0x1000 4096", "online 0x1000 4096", "offline 0x1000 4096", "online 0x1000 4096", "offline 0x0 4096"])
        #expect(planned.map(\.generated) == [true, true, true, true, false])
        #expect(planned.map(\.resultOf) == [nil, nil, nil, nil, 0])
        #expect(skipped.isEmpty)
    }

    /// On User-Mode Linux (no hotplug) they are listed as before; on a kernel whose memory block
    /// differs from the experiment's, every step is listed with that reason and nothing runs.
    @Test func hotplugNotRunElsewhere() throws {
        let uml = KernelRunPlan(try experiment())
        #expect(uml.notRun.map(\.description) == [
            "phase 1 repeat (the driver has no command for repeat phases: only ops: scripts run)",
            "op 0 offline block 0 (memory hotplug: User-Mode Linux has no SPARSEMEM hotplug)",
        ])
        var other = KernelRunPlan(try experiment(), hotplug: true)
        other.resolveHotplug(kernelBlockPages: 32768)
        #expect(other.isEmpty)
        #expect(other.notRun.map(\.description) == [
            "phase 1 repeat (the experiment's memory block is 4096 pages, the kernel's 32768: block numbers do not map)",
            "op 0 offline block 0 (the experiment's memory block is 4096 pages, the kernel's 32768: block numbers do not map)",
        ])
    }

    /// The fixture's commands 4–6 answer einval, ebusy, ok: offline_failed 2, offline_ok 1. The
    /// state metrics sum every zone of state 6: NR_FREE_PAGES 3072 (DMA) + 4096 (DMA32, its block
    /// 0x2000 offline) + 512 (Normal) = 7680, all on ordinary lists (no drift, none isolated:
    /// `__offline_isolated_pages` took the block's pages off the lists), largest order 10.
    @Test func metricsOverEveryZone() throws {
        let log = try Fixture.log("synthetic-x86-3zones.log")
        let planned = log.steps.enumerated().map { KernelRunPlan.PlannedCommand(command: $0.element.command, resultOf: $0.offset) }
        let m = try KernelRunMetrics(log: log, commands: planned, skippedFrees: []) { _ in "op" }
        #expect(m.metrics["offline_ok"] == 1 && m.metrics["offline_failed"] == 2 && m.metrics["online_ok"] == 0)
        #expect(m.metrics["nr_free_pages"] == 7680 && m.metrics["free_pages_allocatable"] == 7680)
        #expect(m.metrics["nr_free_pages_drift"] == 0 && m.metrics["isolated_free_pages"] == 0 && m.metrics["largest_free_order"] == 10)
        #expect(Set(m.metrics.keys) == Set(KernelRunMetrics.measured + KernelRunMetrics.measuredHotplug))
    }
}
