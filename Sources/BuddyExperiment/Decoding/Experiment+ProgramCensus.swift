import BuddyCore

/// What a generated workload's programs hold, counted by generating them (not running them), so
/// `validate` can print the memory a run takes instead of its bound (issue 25: the bound counts
/// a free per allocation and a live handle per event, and overstated the aged and churned
/// bundled experiments' peak RSS by 5.6–11 %).
public struct ProgramCensus: Sendable, Equatable {
    /// Events, requests and live workload allocations of a program. Live
    /// allocations are counted in program order (an alloc adds one, its free removes it): an
    /// upper bound on the handles any variant holds, since a failed allocation or one the
    /// reclaim stand-in takes back holds none.
    public var events = 0, requests = 0, peakLive = 0
    /// Requests with a class byte (`Program.pageClasses.count`).
    public var classed = 0

    public init(events: Int = 0, requests: Int = 0, peakLive: Int = 0, classed: Int = 0) {
        self.events = events; self.requests = requests; self.peakLive = peakLive; self.classed = classed
    }

    /// Counts `program`'s events, requests and program-order peak of live allocations.
    public static func count(_ program: Program) -> ProgramCensus {
        var live = 0, peak = 0
        var allocated = [Bool](repeating: false, count: program.requestCount)
        for e in program.events {
            switch e.op {
            case .alloc(let r, _, _, _, _, _), .allocAt(_, let r, _, _, _, _):
                if !allocated[Int(r)] { allocated[Int(r)] = true; live += 1; peak = max(peak, live) }
            case .free(let r):
                if allocated[Int(r)] { allocated[Int(r)] = false; live -= 1 }
            default: break
            }
        }
        return ProgramCensus(events: program.events.count, requests: program.requestCount, peakLive: peak,
                             classed: program.pageClasses.count)
    }
}

extension Experiment {
    /// Programs of a bound above this many events are not generated at `validate` (one would
    /// hold up to 128 MiB of events); their estimate stays the bound.
    public static let censusEventLimit = 1 << 22

    /// The census of the first seed's program, or nil for a workload with a trace phase (its
    /// decode pass counted it already: `traceCounts`) or one whose bound passes
    /// `censusEventLimit`. One seed, not all: the figure is an estimate ("≈"); counting every
    /// seed changed no bundled experiment's estimate at the 0.1 MiB it is printed to, and cost
    /// seeds × the time (`defrag-mode` 1.24 s against 0.12 s, release build).
    public func programCensus() -> ProgramCensus? {
        guard let seed = seeds.first, eventBound <= Self.censusEventLimit,
              !workload.contains(where: { if case .trace = $0 { true } else { false } }) else { return nil }
        return .count(WorkloadGenerator.program(self, seed: seed))
    }

    /// `runFootprintBytes` with a census's exact counts in place of the bound: the program's
    /// events as written (a generator's reserved slots that no event reaches are never resident),
    /// the request map, the handle table at the census's live peak, and the reclaim and class
    /// arrays per request.
    public func runFootprintBytes(census c: ProgramCensus) -> Int {
        generatedRunBytes(events: c.events, liveBound: c.peakLive, requests: c.requests, classed: c.classed)
    }
}
