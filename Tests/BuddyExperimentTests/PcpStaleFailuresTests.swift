import BuddyCore
import BuddyVariants
import Foundation
import Testing
@testable import BuddyExperiment

/// Issue 18 item 5: why linux-6.10 fails allocations on pcp-stale-migratetype (1454, 369, 984
/// over seeds 1–3) where 6.9 and 6.12 fail none. v6.10's hygiene fallback (`steal_suitable_fallback`
/// without a claim → `page_del_and_expand` on the fallback's own list) takes one block at a
/// time from a foreign pageblock and never claims it, so unmovable/reclaimable requests spread
/// over ever more pageblocks; at 97 % fill the zone is left with no free block of order 3
/// (then 2) at all, and — the engine has no compaction or reclaim — an order-2/3 request fails.
/// 6.15's `__rmqueue_claim` / `__rmqueue_steal` split (in Debian's 6.12.y: linux-6.12) claims
/// whole blocks first and keeps them. Every failure is of that kind: order ≥ 2, no free block of
/// that order or above on any list, watermarks not involved.
@Suite struct PcpStaleFailuresTests {
    struct Failures { var count = 0, unexplained = 0, lowestOrder = Int.max }

    static func replay<S: StrategySet>(_: S.Type, _ program: Program) -> Failures {
        let m = Machine<S>(layout: program.layout)
        var handles = [Int](repeating: -1, count: program.requestCount)
        var f = Failures()
        for ev in program.events {
            if S.Era.pcp != .none { m.currentCPU = Int(ev.cpu) }
            switch ev.op {
            case let .alloc(r, order, type, z, compound, _):
                let h = m.allocate(zone: z >= 0 ? Int(z) : nil, order: Int(order), type: type, compound: compound)
                handles[Int(r)] = h
                if h < 0 {
                    f.count += 1
                    f.lowestOrder = min(f.lowestOrder, Int(order))
                    if (Int(order)...m.geometry.maxOrder).contains(where: { m.nrFree[$0] != 0 }) { f.unexplained += 1 }
                }
            case let .free(r):
                if handles[Int(r)] >= 0 { m.free(handle: handles[Int(r)]); handles[Int(r)] = -1 }
            default: break
            }
        }
        return f
    }

    @Test func linux610FailsOnlyForWantOfAHighOrderBlock() throws {
        let e = try Experiment.load(contentsOf: Paths.experiments.appendingPathComponent("pcp-stale-migratetype.yaml").path)
        let program = WorkloadGenerator.generate(e, seed: 1).program
        let v610 = Self.replay(Linux610.self, program)
        #expect(v610.count > 500)
        #expect(v610.unexplained == 0)
        #expect(v610.lowestOrder == 2)
        #expect(Self.replay(Linux69.self, program).count == 0)
        #expect(Self.replay(Linux612.self, program).count == 0)
    }
}
