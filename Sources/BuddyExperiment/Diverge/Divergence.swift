import BuddyCore
import BuddyVariants

/// The first event after which two variants' observable state differs.
public struct Divergence: Sendable {
    /// Index of the event (-1: the machines differ right after set-up, before any event).
    public var event: Int
    public var eventCount: Int
    /// The event itself, described (`ProgramEventText`).
    public var eventText: String
    /// What the event did in each variant.
    public var outcomes: (StepOutcome, StepOutcome)?
    /// State differences after the event, in kernel terms, one per line (empty when only the op
    /// result differs).
    public var differences: [String]
}

/// Runs two variants in lockstep on one seed's program and finds where they part.
///
/// After every event the op results and a cheap snapshot (counters, `nr_free`, list lengths) are
/// compared; the full state (every free block, every pageblock's type) is compared every
/// `fullEvery` events. A difference can begin unseen by the cheap comparison (a block moved but
/// every count stayed), so whenever one is found after events not compared in full, the pair is
/// re-run from scratch to the last equal full check and compared in full at every event from
/// there: the event reported is exact.
public struct DivergenceFinder {
    public var program: Program
    public var a: Variant
    public var b: Variant
    public var fullEvery: Int

    public init(program: Program, a: Variant, b: Variant, fullEvery: Int? = nil) {
        self.program = program; self.a = a; self.b = b
        // Short scripts: full comparison after every event. Long workloads: every 4096 events;
        // the re-run in `exact(from:)` keeps the answer exact either way.
        self.fullEvery = fullEvery ?? (program.events.count <= 2000 ? 1 : 4096)
    }

    public func find() -> Divergence? {
        let sa = a.stepper(program, RunOptions()), sb = b.stepper(program, RunOptions())
        let n = sa.eventCount
        if let d = StateDifference.describe(sa.snapshot(full: true), sb.snapshot(full: true), sa.layout, a.id, b.id) {
            return Divergence(event: -1, eventCount: n, eventText: "machine set-up (CMA reservation, boot free)",
                              outcomes: nil, differences: d)
        }
        var lastEqualFull = 0  // events applied at the last equal full check
        var e = 0
        while e < n {
            let oa = sa.step(), ob = sb.step()
            let full = (e + 1) % fullEvery == 0 || e + 1 == n
            let snapA = sa.snapshot(full: full), snapB = sb.snapshot(full: full)
            if !oa.observablyEquals(ob) || snapA != snapB {
                // A difference seen here may have begun unseen (a block moved, every count kept)
                // after the last full comparison: re-run from there, comparing in full.
                if lastEqualFull < e, let exact = exact(from: lastEqualFull) { return exact }
                return divergence(at: e, n, oa, ob, snapA, snapB, sa, sb)
            }
            if full { lastEqualFull = e + 1 }
            e += 1
        }
        return nil
    }

    /// Re-runs to `start` events, then compares in full after every event.
    private func exact(from start: Int) -> Divergence? {
        let sa = a.stepper(program, RunOptions()), sb = b.stepper(program, RunOptions())
        for _ in 0..<start { _ = sa.step(); _ = sb.step() }
        for e in start..<sa.eventCount {
            let oa = sa.step(), ob = sb.step()
            let snapA = sa.snapshot(full: true), snapB = sb.snapshot(full: true)
            if !oa.observablyEquals(ob) || snapA != snapB { return divergence(at: e, sa.eventCount, oa, ob, snapA, snapB, sa, sb) }
        }
        return nil
    }

    private func divergence(at e: Int, _ n: Int, _ oa: StepOutcome, _ ob: StepOutcome,
                            _ snapA: EngineSnapshot, _ snapB: EngineSnapshot,
                            _ sa: any ProgramStepper, _ sb: any ProgramStepper) -> Divergence {
        // Describe with full snapshots (the cheap ones may lack the blocks that explain it).
        let fullA = snapA.freeBlocks == nil ? sa.snapshot(full: true) : snapA
        let fullB = snapB.freeBlocks == nil ? sb.snapshot(full: true) : snapB
        var lines = StateDifference.describe(fullA, fullB, sa.layout, a.id, b.id) ?? []
        if let merge = StateDifference.mergeSummary(oa, ob, fullA, fullB, a.id, b.id) { lines.insert(merge, at: 0) }
        return Divergence(event: e, eventCount: n, eventText: ProgramEventText.describe(program.events[e], layout: program.layout),
                          outcomes: (oa, ob), differences: lines)
    }

    static func cheapPart(_ s: EngineSnapshot) -> EngineSnapshot {
        var c = s; c.freeBlocks = nil; c.pageblockTypes = nil; return c
    }
}
