import BuddyCore
import BuddyVariants
import Foundation
import Testing
@testable import BuddyExperiment

/// Issue 18, item 1: a `/proc` import leaves, for every variant of `Variants.all`, NR_FREE_PAGES
/// (+ pcp pages) equal to the pages `/proc/buddyinfo` lists, per zone, and no drift — on the bundled
/// capture (experiments/proc, = ../shared/fixtures) and on the second one (the trace's snapshot).
///
/// Before the fix `importInitialState` called `addToFreeList`, which under the v6.10 accounting
/// (`account_freepages()` in `__add_to_free_list`, v6.10 mm/page_alloc.c) already counts the
/// block, and then added `1 << order` again: linux-6.10/6.12/6.17 read twice the free pages.
@Suite struct ProcImportCounterTests {
    static let captures: [(experiment: String, buddyinfo: String)] = [
        ("proc-6-18.yaml", "proc/buddyinfo-6.18-x86_64.txt"),
        ("trace-git-clone-from-proc.yaml", "traces/git-clone-with-proc-6.18.buddyinfo.txt"),
    ]

    /// Pages per zone name that a buddyinfo file lists (Σ count · 2^order).
    static func listedPages(_ file: String) throws -> [String: Int] {
        let text = try String(contentsOf: Paths.experiments.appendingPathComponent(file), encoding: .utf8)
        let b = try BuddyinfoFile(text: text, file: file)
        var out: [String: Int] = [:]
        for z in b.zones { out[z.name, default: 0] += z.counts.enumerated().reduce(0) { $0 + ($1.element << $1.offset) } }
        return out
    }

    /// One variant: the counters right after the import, per zone.
    static func countersAfterImport<S: StrategySet>(_: S.Type, _ e: Experiment, _ s: InitialState)
        -> (free: [String: Int], cma: [Int], cmaLists: [Int], drift: Int, undeclared: [String], violations: [String]) {
        let m = Machine<S>(layout: e.machine.layout)
        m.importInitialState(s)
        var free: [String: Int] = [:]
        for z in 0..<m.zoneCount { free[m.layout.zones[z].name, default: 0] += m.zone[z].nrFreePages }
        free["pcp", default: 0] += m.totalPCPPages
        return (free, (0..<m.zoneCount).map { m.zone[$0].nrFreeCMAPages }, (0..<m.zoneCount).map { m.truthFreeCMA(zone: $0) },
                m.drift().nrFreePages, m.undeclaredDrift(), m.structuralViolations())
    }

    @Test(arguments: captures.indices)
    func everyVariantCountsExactlyTheListedPages(_ k: Int) throws {
        let (file, buddy) = Self.captures[k]
        let e = try Experiment.load(contentsOf: Paths.experiments.appendingPathComponent(file).path)
        let s = try #require(e.machine.procImport).initialState(seed: 1)
        let listed = try Self.listedPages(buddy)
        #expect(listed.values.reduce(0, +) > 100_000)   // a real capture, not an empty file
        #expect(Variants.all.count >= 16)
        for v in Variants.all {
            let c = Self.countersAfterImport(v.strategies, e, s)
            let pcp = c.free["pcp"] ?? 0
            var zones = c.free; zones["pcp"] = nil
            // No pcp pages right after the import, so NR_FREE_PAGES alone is buddyinfo's count.
            #expect(pcp == 0, "\(v.id) \(file)")
            #expect(zones.filter { $0.value != 0 } == listed.filter { $0.value != 0 },
                    "\(v.id) \(file): NR_FREE_PAGES per zone vs buddyinfo")
            #expect(zones.values.reduce(0, +) + pcp == listed.values.reduce(0, +), "\(v.id) \(file)")
            #expect(c.cma == c.cmaLists, "\(v.id) \(file): NR_FREE_CMA_PAGES vs the CMA lists")
            #expect(c.drift == 0, "\(v.id) \(file): nr_free_pages_drift")
            #expect(c.undeclared.isEmpty, "\(v.id) \(file): \(c.undeclared)")
            #expect(c.violations.isEmpty, "\(v.id) \(file): \(c.violations)")
        }
    }
}
