import Testing
import BuddyCore
import BuddyVariants

/// The engine's raw storage: the handle table and the interleaved per-frame fields.
@Suite struct StorageTests {
    @Test func handlesAreReusedMostRecentlyReleasedFirst() {
        var t = HandleTable(capacity: 16)
        defer { t.deallocate() }
        #expect(t.issue(pfn: 100) == 0)
        #expect(t.issue(pfn: 200) == 1)
        #expect(t.issue(pfn: 300) == 2)
        t.release(0); t.release(2)
        #expect(t[0] == .max && t[2] == .max && t[1] == 200)
        #expect(t.issue(pfn: 400) == 2)      // the last released comes back first
        #expect(t.issue(pfn: 500) == 0)
        #expect(t.issue(pfn: 600) == 3)      // then new handles again
        #expect(t.count == 4)
        #expect(t.live.map(\.handle) == [0, 1, 2, 3])
        #expect(t.live.map(\.pfn) == [500, 200, 400, 600])
    }

    @Test func growingTheTableKeepsEveryEntryAndReleasedHandle() {
        var t = HandleTable(capacity: 16)
        defer { t.deallocate() }
        for i in 0..<40 { #expect(t.issue(pfn: UInt32(i * 10)) == i) }
        t.release(7)
        for i in 40..<100 { _ = t.issue(pfn: UInt32(i * 10)) }   // 7 is reused once, then growth
        #expect(t[7] == 400)
        #expect(t.count == 99)
        // Handles 0..<40 name pfn 10h (7 was re-issued for the 41st request, pfn 400); handles
        // 40..<99 were issued for requests 41..<100.
        #expect((0..<99).allSatisfy { t[$0] == UInt32($0 == 7 ? 400 : $0 < 40 ? $0 * 10 : ($0 + 1) * 10) })
        #expect(t[0] == 0 && t[39] == 390 && t[40] == 410 && t[98] == 990)
        #expect(!t.contains(99) && !t.contains(-1) && t.contains(98))
    }

    @Test func pairedFieldsInterleaveWithoutOverlap() {
        let (a, b) = PairedField<UInt32>.allocatePair(count: 8, first: 1, second: 2)
        defer { a.deallocatePair(count: 8) }
        for i in 0..<8 { a[i] = UInt32(10 + i) }
        #expect((0..<8).map { b[$0] } == Array(repeating: 2, count: 8))
        b[3] = 99
        #expect((0..<8).map { a[$0] } == (10..<18).map { UInt32($0) })
        #expect(a.address(3) + 1 == b.address(3))
        #expect(a.base[7] == 99)   // b[3] sits right after a[3]
    }

    @Test func prefetchingChangesNothing() {
        let m = Machine<Mainline518>(layout: smallLayout())
        let h = m.allocate(zone: 0, order: 0, type: .movable)
        let before = (m.procPagetypeinfo(), m.zone[0].nrFreePages, m.handlePfn[h])
        m.prefetchHandle(h); m.prefetchFree(handle: h)
        m.prefetchHandle(12345); m.prefetchFree(handle: -1)
        #expect((m.procPagetypeinfo(), m.zone[0].nrFreePages, m.handlePfn[h]) == before)
        m.free(handle: h)
        m.prefetchFree(handle: h)      // freed: ignored
        #expect(m.zone[0].nrFreePages == 2048)
        #expect(m.structuralViolations().isEmpty)
    }
}
