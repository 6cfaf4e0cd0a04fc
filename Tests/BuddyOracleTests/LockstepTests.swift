import BuddyCore
import BuddyOracle
import BuddyVariants
import Testing

/// Lockstep on the hand-written log (each state derived from v6.1's mm/page_alloc.c and
/// mm/page_isolation.c by hand): `linux-5.19` agrees at every command; a perturbed log is
/// caught at the command that was changed.
@Suite struct LockstepTests {
    @Test func linux519FollowsTheSyntheticLog() throws {
        let log = try Fixture.log("synthetic-6.1.log")
        let o = Lockstep.run(log: log, variant: try Fixture.variant("linux-5.19"))
        #expect(o.mismatch == nil, "\(o.mismatch.map { "step \($0.step): " + $0.differences.map(\.description).joined(separator: "\n") } ?? "")")
        #expect(o.commandsCompared == 13 && o.foreignReplayed == 2)
    }

    @Test func perturbedResultStopsAtThatCommand() throws {
        var text = try Fixture.text("synthetic-6.1.log")
        text = text.replacingOccurrences(of: "result 6 ok handle=3 pfn=0x600", with: "result 6 ok handle=3 pfn=0xa00")
        let o = Lockstep.run(log: try OracleLogParser.parse(text, file: "p.log"), variant: try Fixture.variant("linux-5.19"))
        #expect(o.mismatch?.step == 6)
        #expect(o.mismatch?.differences.first?.kind == .result)
        #expect(o.mismatch?.commands.count == 6)
    }
}
