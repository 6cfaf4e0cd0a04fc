import BuddyCore
import BuddyExperiment
import Testing

/// `Experiment.programCensus()` and `runFootprintBytes(census:)`: `validate` generates each
/// seed's program (without running it) and counts what a run will hold (issue 25).
@Suite struct ProgramCensusTests {
    /// Scripted ops only: four allocs, two frees, one alloc again. Events 7, requests 5, and at
    /// most 3 live in program order (a, b, c; then b freed, d; then a freed, e).
    @Test func countsEventsRequestsAndTheLivePeakInProgramOrder() throws {
        let e = try Experiment.decode(yaml: Snippet.experiment(workload: """
            workload:
              - ops:
                  - alloc: { order: 0, type: movable, as: a }
                  - alloc: { order: 1, type: movable, as: b }
                  - alloc: { order: 0, type: unmovable, as: c }
                  - free: b
                  - alloc: { order: 0, type: movable, as: d }
                  - free: a
                  - alloc: { order: 2, type: movable, as: e }
            """), file: "t.yaml")
        let c = try #require(e.programCensus())
        #expect(c == ProgramCensus(events: 7, requests: 5, peakLive: 3, classed: 0))
    }

    /// A generated fill and churn: the census counts the first seed's program, the one `run`
    /// generates for that seed (same events; `program` only skips the hash).
    @Test func countsTheFirstSeedsProgram() throws {
        let e = try Experiment.decode(yaml: Snippet.experiment(workload: """
            workload:
              - fill: { until: 20% }
              - churn: { events: 3000, free_ratio: 60% }
            """, extra: "seeds: 3\n"), file: "t.yaml")
        let generated = WorkloadGenerator.generate(e, seed: 1).program
        #expect(WorkloadGenerator.program(e, seed: 1).events == generated.events)
        let c = try #require(e.programCensus())
        #expect(c == ProgramCensus.count(generated))
        #expect(c.events == generated.events.count && c.requests == generated.requestCount)
        // The fill's requests are all live at its end; the churn frees some and allocates more.
        #expect(c.peakLive <= c.requests && c.events >= c.requests && c.events <= e.eventBound)
    }

    /// The footprint from the census is the engine's figure for exactly those counts: fixed
    /// state, handle table at the live peak, request map, the written events; plus, with
    /// `reclaim:` and `age:`, 13 B per request for the stand-in's arrays and 1 B per class.
    @Test func theFootprintUsesTheCensusCounts() throws {
        let plain = try Experiment.decode(yaml: Snippet.experiment(), file: "t.yaml")
        let c = ProgramCensus(events: 1000, requests: 600, peakLive: 300, classed: 0)
        #expect(plain.runFootprintBytes(census: c)
                == EngineFootprint.runBytes(plain.machine.layout, events: 1000, liveBound: 300, requests: 600,
                                            releases: false))
        #expect(plain.runFootprintBytes(census: c) < plain.runFootprintBytes)
        let aged = try Experiment.decode(yaml: Snippet.experiment(workload: """
            workload:
              - age:
                  steps: 2000
                  classes:
                    page_cache: { share: 60%, lifetime: until_pressure }
                    anon: { share: 40%, lifetime: { exponential: 500 } }
            """, extra: "reclaim: { swap: true }\n"), file: "t.yaml")
        let ca = ProgramCensus(events: 1000, requests: 600, peakLive: 300, classed: 600)
        #expect(aged.runFootprintBytes(census: ca)
                == EngineFootprint.runBytes(aged.machine.layout, events: 1000, liveBound: 300, requests: 600, releases: true)
                + 600 * 13 + 600 * 1)
    }

    /// Past `censusEventLimit` events the programs are not generated at `validate` (holding one
    /// would take 256 MiB): no census, the estimate stays the bound.
    @Test func noCensusPastTheEventLimit() throws {
        let e = try Experiment.decode(yaml: Snippet.experiment(machine: "machine:\n  zones:\n    - { name: Normal, size: 64GiB }",
                                                               workload: "workload:\n  - fill: { until: 100% }"), file: "t.yaml")
        #expect(e.eventBound > Experiment.censusEventLimit)
        #expect(e.programCensus() == nil)
    }
}
