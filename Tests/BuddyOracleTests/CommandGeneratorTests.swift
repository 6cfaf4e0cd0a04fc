import BuddyCore
import BuddyOracle
import BuddyVariants
import Testing

/// The random command generator: ≥ 1,000 commands of every kind, valid against the state it
/// tracks, and byte-identical for the same seed.
@Suite struct CommandGeneratorTests {
    /// A model of the synthetic log's state with a CMA area added in its last two pageblocks.
    func model() throws -> any KernelModel {
        var log = try Fixture.log("synthetic-6.1.log")
        log.cma = ("buddylab", 0xc00, 1024)
        log.initial.snapshot.freeLists[10][Int(MigrateType.movable.rawValue)] = [0x800]
        log.initial.snapshot.freeLists[10][Int(MigrateType.cma.rawValue)] = [0xc00]
        log.initial.snapshot.pageblocks = Array("UMMMMMCC").map { c in MigrateType.allCases.first { $0.mapCharacter == c } ?? .movable }
        log.initial.snapshot.nrFreeCMAPages = 1024
        return try makeKernelModel(variant: try Fixture.variant("linux-5.19"), log: log)
    }

    /// 1,200 commands: the boundary probes of the pressure stretch spend some commands on
    /// unmovable allocations and checks, so the random draws need a little more room to reach
    /// every (order, type) pair on this small zone.
    @Test func thousandCommandsOfEveryKindDeterministic() throws {
        var g1 = CommandGenerator(seed: 42), g2 = CommandGenerator(seed: 42), g3 = CommandGenerator(seed: 43)
        let a = g1.generate(count: 1200, against: try model())
        let b = g2.generate(count: 1200, against: try model())
        let c = g3.generate(count: 1200, against: try model())
        #expect(a.count == 1200 && a == b && a != c)
        func count(_ p: (OracleCommand) -> Bool) -> Int { a.filter(p).count }
        #expect(count { if case .alloc = $0 { true } else { false } } > 100)
        #expect(count { if case .free = $0 { true } else { false } } > 100)
        #expect(count { if case let .contig(_, n) = $0 { n == 512 } else { false } } > 10)
        #expect(count { if case let .contig(_, n) = $0 { n == 1024 } else { false } } > 10)
        #expect(count { if case let .isolate(_, _, off) = $0 { off } else { false } } > 0)
        #expect(count { if case let .isolate(_, _, off) = $0 { !off } else { false } } > 0)
        #expect(count { if case .unisolate = $0 { true } else { false } } > 10)
        #expect(count { if case .cmaAlloc = $0 { true } else { false } } > 10)
        #expect(count { $0 == .drain } > 0)
        #expect(count { if case .watermark = $0 { true } else { false } } > 0)
        for o in 0...10 {
            for t in AllocType.allCases where !a.contains(.alloc(order: o, type: t)) {
                Issue.record("no alloc of order \(o) \(t.name)")
            }
        }
    }

    /// The boundary probes (high, then low, in the first pressure stretch) end with two checks of
    /// the same mark at order 0: `ok` with NR_FREE_PAGES − NR_FREE_CMA_PAGES one above the mark,
    /// `fail` exactly at it — `__zone_watermark_ok`'s `free_pages <= min` edge, which is what makes
    /// a `<=` → `<` slip in the engine visible to the routine lockstep.
    @Test func boundaryProbesCheckBothSidesOfTheMark() throws {
        var g = CommandGenerator(seed: 42)
        let commands = g.generate(count: 800, against: try model())
        let replay = try model()
        var seen: [Int: [(free: Int, result: String)]] = [:]
        for c in commands {
            let free = replay.nrFreePages - replay.nrFreeCMAPages
            let r = replay.apply(c)
            if case let .watermark(mark, 0) = c { seen[mark, default: []].append((free, r.status)) }
        }
        for (mark, name) in [(2, "high"), (1, "low")] {
            let value = replay.watermarkValues[mark]
            let checks = seen[mark] ?? []
            #expect(checks.contains { $0.free == value + 1 && $0.result == "ok" }, "\(name): \(checks)")
            #expect(checks.contains { $0.free == value && $0.result == "fail" }, "\(name): \(checks)")
        }
    }

    /// Every `free` names a handle that is live at that point, replaying on a fresh model.
    @Test func freesNameLiveHandles() throws {
        var g = CommandGenerator(seed: 7)
        let commands = g.generate(count: 1000, against: try model())
        let replay = try model()
        for (i, c) in commands.enumerated() {
            if case let .free(h) = c { #expect(replay.liveHandles.contains(h), "command \(i + 1): free \(h)") }
            let r = replay.apply(c)
            if case .free = c { #expect(r.status == "ok") }
        }
        #expect(replay.violations().isEmpty)
    }
}
