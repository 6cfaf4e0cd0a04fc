import Testing
import BuddyCore
import BuddyVariants

/// `too_many_isolated()` in `alloc_contig_range`'s rounds (Machine+TooManyIsolated.swift): each
/// pageblock's `isolate_migratepages_block()` returns -EAGAIN while the round's isolated pages
/// exceed the LRU's limit — Debian 6.1.192 `(inactive + active) / 2`, Debian 6.12.118 with
/// `__GFP_FS` `((inactive >> 3) + (active >> 3)) / 2` — and the round is migrated before the next
/// block. Oracle: 6.12.118 `--random 100000 --seed 1`, `cma_alloc 1024 3` at command 10,958.
@Suite struct TooManyIsolatedTests {
    /// 20 LRU pages at [0x1ec, 0x200), 2 at [0x200, 0x202), 256 more at [0x600, 0x700) outside the
    /// range; everything else free. `contig [0x1e0, 0x210)` isolates pageblocks 0 and 1; the
    /// targets come from the smallest free block outside them, order 8 at 0x700, handed out
    /// 0x700, 0x701, … (`expand` keeps the low half).
    func run<S: StrategySet>(_: S.Type) -> [Int: Int] {
        var layout = smallLayout(pages: 4096)
        layout.perCPUListsEnabled = false
        let m = Machine<S>(layout: layout)
        var handles: [Int: Int] = [:]
        for pfn in Array(0x1ec..<0x202) + Array(0x600..<0x700) {
            let (r, h) = m.allocate(atPfn: pfn, order: 0, type: .movable, compound: false)
            #expect(r == .ok)
            handles[pfn] = h
        }
        #expect(m.allocContigRange(0x1e0, 0x210).result == .ok)
        #expect(m.structuralViolations().isEmpty)
        return handles.mapValues { Int(m.handlePfn[$0]) }
    }

    /// 6.12: at 0x200 the round holds 20 pages and the LRU 258 others: (258 >> 3) / 2 = 16, so
    /// the round stops. Round 1: 0x1ff … 0x1ec → 0x700 … 0x713; round 2: 0x201, 0x200 → 0x714, 0x715.
    @Test func linux612StopsTheRoundAtThePageblock() {
        let at = run(Linux612.self)
        for p in 0x1ec..<0x200 { #expect(at[p] == 0x700 + (0x1ff - p), "source \(String(p, radix: 16))") }
        #expect(at[0x201] == 0x714 && at[0x200] == 0x715)
    }

    /// 6.1: the limit is 258 / 2 = 129: one round of 22, 0x201 first.
    @Test func linux61TakesOneRound() {
        let at = run(Linux61.self)
        #expect(at[0x201] == 0x700 && at[0x200] == 0x701)
        for p in 0x1ec..<0x200 { #expect(at[p] == 0x702 + (0x1ff - p), "source \(String(p, radix: 16))") }
    }
}
