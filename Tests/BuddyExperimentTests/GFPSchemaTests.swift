import BuddyCore
@testable import BuddyExperiment
import Testing

/// `gfp:` in experiments (issue 21): masks in the kernel's names on `alloc:` and as a mix on
/// `fill:` / `churn:`; `type:` implied by `gfp_migratetype`; the workload hash.
@Suite struct GFPSchemaTests {
    @Test func masksParseWithTheKernelsNames() throws {
        #expect(try GFPMask.parse("GFP_KERNEL | __GFP_HIGH") == [.directReclaim, .kswapdReclaim, .io, .fs, .high])
        #expect(try GFPMask.parse("GFP_ATOMIC") == [.high, .atomic, .kswapdReclaim])
        #expect(try GFPMask.parse("GFP_NOWAIT|__GFP_NORETRY|__GFP_COMP") == [.kswapdReclaim, .noretry, .comp])
        #expect(GFPMask([.kernel, .high]).description == "GFP_KERNEL|__GFP_HIGH")
        #expect(GFPMask.highuserMovable.description == "GFP_HIGHUSER_MOVABLE")
        #expect(throws: GFPMask.ParseError.unknownName("GFP_KERNL")) { try GFPMask.parse("GFP_KERNL") }
        #expect(throws: GFPMask.ParseError.empty) { try GFPMask.parse("GFP_KERNEL | ") }
        // Traces print zone modifiers and KASAN hints; they are dropped only when reading traces.
        #expect(throws: GFPMask.ParseError.unknownName("__GFP_HIGHMEM")) { try GFPMask.parse("GFP_NOFS|__GFP_HIGHMEM") }
        #expect(try GFPMask.parse("GFP_NOFS|__GFP_HIGHMEM", lenient: true) == .nofs)
        // gfp_migratetype
        #expect(GFPMask.kernel.allocType == .unmovable)
        #expect(GFPMask.highuserMovable.allocType == .movable)
        #expect(GFPMask([.kernel, .reclaimable]).allocType == .reclaimable)
        #expect(GFPMask([.movable, .reclaimable]).allocType == nil)
    }

    static let machine = """
        machine:
          zones:
            - { name: Normal, size: 128MiB }
        """

    func ops(_ lines: String) -> String {
        Snippet.experiment(machine: Self.machine, workload: "workload:\n  - ops:\n" + lines)
    }

    @Test func allocTakesItsTypeFromTheMask() throws {
        let e = try Experiment.decode(yaml: ops("""
                  - alloc: { order: 3, gfp: GFP_NOWAIT }
                  - alloc: { order: 0, gfp: "GFP_HIGHUSER_MOVABLE | __GFP_COMP", type: movable }
                  - alloc: { order: 0, type: reclaimable }
            """))
        let kinds = e.scriptedOps.map(\.kind)
        #expect(kinds[0] == .alloc(pfn: nil, order: 3, type: .unmovable, compound: nil, zone: nil, name: nil, gfp: .nowait))
        #expect(kinds[1] == .alloc(pfn: nil, order: 0, type: .movable, compound: nil, zone: nil, name: nil,
                                   gfp: [.highuserMovable, .comp]))
        #expect(kinds[2] == .alloc(pfn: nil, order: 0, type: .reclaimable, compound: nil, zone: nil, name: nil, gfp: nil))
        #expect(e.scriptedOps[0].label == "alloc order 3 unmovable gfp GFP_NOWAIT")
    }

    @Test func aContradictingTypeIsAnErrorAtItsPosition() {
        let e = decodeError(ops("      - alloc: { order: 0, gfp: GFP_KERNEL, type: movable }\n"))
        #expect(e?.description.hasPrefix("t.yaml:8:51: type: movable contradicts gfp: GFP_KERNEL, whose gfp_migratetype is unmovable") == true,
                "\(String(describing: e))")
        let u = decodeError(ops("      - alloc: { order: 0, gfp: \"GFP_KERNEL | __GFP_HGH\" }\n"))
        #expect(u?.description.hasPrefix("t.yaml:8:33: unknown gfp flag '__GFP_HGH'") == true, "\(String(describing: u))")
        let missing = decodeError(ops("      - alloc: { order: 0 }\n"))
        #expect(missing?.description.contains("type") == true, "\(String(describing: missing))")
        let mix = decodeError(Snippet.experiment(
            machine: Self.machine, workload: "workload:\n  - fill: { until: 10%, mix: { movable: 100% }, gfp: GFP_KERNEL }\n"))
        #expect(mix?.description.hasPrefix("t.yaml:7:30: mix: cannot be combined with gfp:") == true, "\(String(describing: mix))")
    }

    /// A workload without masks hashes as it always did (no byte for the absent mask); one with
    /// masks differs, and the masks drawn by `fill: { gfp: … }` follow their percentages.
    @Test func theHashIncludesMasksOnlyWhenSet() throws {
        let plain = try Experiment.decode(yaml: ops("      - alloc: { order: 3, type: unmovable }\n"))
        let masked = try Experiment.decode(yaml: ops("      - alloc: { order: 3, type: unmovable, gfp: GFP_KERNEL }\n"))
        let a = WorkloadGenerator.generate(plain, seed: 1), b = WorkloadGenerator.generate(masked, seed: 1)
        #expect(a.sha256 != b.sha256)
        let old = Program(layout: a.program.layout, events: [ProgramEvent(
            .alloc(request: 0, order: 3, type: .unmovable, zone: -1, compound: nil, gfp: nil), script: 0)], requestCount: 1)
        #expect(WorkloadHash.sha256(old) == a.sha256)

        let mixed = try Experiment.decode(yaml: Snippet.experiment(machine: Self.machine, workload: """
            workload:
              - churn: { events: 4000, free_ratio: 0%, gfp: { GFP_KERNEL: 75%, "GFP_NOWAIT | __GFP_HIGH": 25% } }
            """))
        var counts: [GFPMask: Int] = [:]
        for event in WorkloadGenerator.generate(mixed, seed: 7).program.events {
            guard case let .alloc(_, _, type, _, _, gfp) = event.op, let gfp else { Issue.record("alloc without gfp"); continue }
            #expect(type == .unmovable)
            counts[gfp, default: 0] += 1
        }
        #expect(counts.keys.sorted { $0.rawValue < $1.rawValue } == [[.nowait, .high], .kernel].sorted { $0.rawValue < $1.rawValue })
        let high = counts[[.nowait, .high]] ?? 0
        #expect((900...1100).contains(high), "\(high) of 4000 drawn GFP_NOWAIT|__GFP_HIGH")
    }

    /// `shrink` writes masks back in the kernel's names (quoted), and the file decodes to the
    /// same requests: the attribute survives the round trip.
    @Test func shrunkExperimentsKeepTheMasks() throws {
        let e = try Experiment.decode(yaml: Snippet.experiment(machine: Self.machine, workload: """
            workload:
              - churn: { events: 40, free_ratio: 30%, orders: { 0: 50%, 3: 50% }, gfp: { "GFP_KERNEL | __GFP_NORETRY": 50%, GFP_ATOMIC: 50% } }
              - ops:
                  - alloc: { order: 2, gfp: "GFP_HIGHUSER_MOVABLE | __GFP_COMP" }
            """))
        let events = WorkloadGenerator.generate(e, seed: 3).program.events
        let yaml = ShrunkExperimentWriter.yaml(events, machine: e.machine, experimentFile: "t.yaml",
                                               header: .init(name: "s", description: "d", variant: "linux-6.1", seed: 3, expect: []))
        #expect(yaml.contains("gfp: \"GFP_KERNEL|__GFP_NORETRY\"") && yaml.contains("gfp: \"GFP_ATOMIC\""))
        let again = try Experiment.decode(yaml: yaml, file: "s.yaml")
        #expect(WorkloadGenerator.generate(again, seed: 3).program.events.map(\.op) == events.map(\.op))
    }
}
