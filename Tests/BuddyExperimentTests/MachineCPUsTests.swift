import BuddyCore
import BuddyExperiment
import Testing

/// `machine: { cpus: N }`: decoding, bad input, and the seeded CPU of every alloc and free.
@Suite struct MachineCPUsTests {
    static func yaml(_ cpus: String?) -> String {
        Snippet.experiment(
            machine: "machine:\n" + (cpus.map { "  cpus: \($0)\n" } ?? "") + "  zones:\n    - { name: Normal, size: 128MiB }",
            workload: "workload:\n  - fill: { until: 20% }\n  - churn: { events: 2000, free_ratio: 50% }")
    }

    @Test func defaultsToOneAndDecodes() throws {
        #expect(try Experiment.decode(yaml: Self.yaml(nil)).machine.layout.cpus == 1)
        #expect(try Experiment.decode(yaml: Self.yaml("4")).machine.layout.cpus == 4)
    }

    /// Out of range: an error at the value's line and column, before anything runs.
    @Test func outOfRangeIsAnErrorAtTheValue() {
        for bad in ["0", "65", "two"] {
            let e = decodeError(Self.yaml(bad))
            #expect(e?.line == 4, "cpus: \(bad)")
            #expect(e?.column == 9, "cpus: \(bad)")
        }
    }

    /// One CPU draws nothing (the workload and its hash are those of a machine without `cpus:`);
    /// two CPUs keep every operation and put each alloc/free on CPU 0 or 1, seeded.
    @Test func cpusAreASeparateSeededStream() throws {
        let none = WorkloadGenerator.generate(try Experiment.decode(yaml: Self.yaml(nil)), seed: 7)
        let one = WorkloadGenerator.generate(try Experiment.decode(yaml: Self.yaml("1")), seed: 7)
        let two = WorkloadGenerator.generate(try Experiment.decode(yaml: Self.yaml("2")), seed: 7)
        let again = WorkloadGenerator.generate(try Experiment.decode(yaml: Self.yaml("2")), seed: 7)
        #expect(one.sha256 == none.sha256)
        #expect(one.program.events.allSatisfy { $0.cpu == 0 })
        #expect(two.program.events.map(\.op) == one.program.events.map(\.op))
        #expect(Set(two.program.events.map(\.cpu)) == [0, 1])
        #expect(two.sha256 != one.sha256)
        #expect(two.sha256 == again.sha256 && two.program.events == again.program.events)
    }

    /// Scripted alloc/free run on the CPU their `cpu:` names (default 0), never a drawn one.
    @Test func scriptedOpsRunOnTheirCPU() throws {
        let yaml = Snippet.experiment(
            machine: "machine:\n  cpus: 2\n  zones:\n    - { name: Normal, size: 128MiB }",
            workload: """
                workload:
                  - churn: { events: 200, free_ratio: 50% }
                  - ops:
                      - alloc: { order: 0, type: movable, as: a, cpu: 1 }
                      - free: { name: a, cpu: 0 }
                      - alloc: { order: 0, type: movable, as: b }
                      - free: b
                """)
        let e = try Experiment.decode(yaml: yaml)
        #expect(e.opLabels[0] == "alloc order 0 movable as a on cpu 1")
        let w = WorkloadGenerator.generate(e, seed: 3)
        #expect(w.program.events.filter { $0.script >= 0 }.map(\.cpu) == [1, 0, 0, 0])
        #expect(Set(w.program.events.filter { $0.script < 0 }.map(\.cpu)) == [0, 1])
        let bad = Snippet.experiment(
            machine: "machine:\n  cpus: 2\n  zones:\n    - { name: Normal, size: 128MiB }",
            workload: "workload:\n  - ops:\n      - alloc: { order: 0, type: movable, cpu: 2 }")
        let error = decodeError(bad)
        #expect(error?.line == 9)   // the cpu: value, beyond the machine's two CPUs
    }
}
