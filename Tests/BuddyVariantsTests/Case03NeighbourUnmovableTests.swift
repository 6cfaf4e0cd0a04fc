import Testing
import BuddyCore
import BuddyVariants

/// §10 case 3: P0 = [0x400, 0x600) holds one unmovable page and is typed UNMOVABLE; P1 =
/// [0x600, 0x800) is free. alloc_contig_range(0x600, 0x800).
@Suite struct NeighbourUnmovableTests {
    func setUp<S>(_ m: Machine<S>) {
        let (r, _) = m.allocate(atPfn: 0x400, order: 0, type: .unmovable, compound: false)
        #expect(r == .ok)
        m.setBlockType(0x400, .unmovable)
    }

    @Test func oldAlignmentFailsWithEbusyAndLeavesTypes() {
        for run in [{ () -> (OpResult, [MigrateType]) in
                        let m = Machine<V518>(layout: layout()); self.setUp(m)
                        let r = m.allocContigRange(0x600, 0x800)
                        #expect(m.structuralViolations().isEmpty)
                        return (r.result, [m.blockType(0x400), m.blockType(0x600)]) },
                    { let m = Machine<V35>(layout: layout()); self.setUp(m)
                        return (m.allocContigRange(0x600, 0x800).result, [m.blockType(0x400), m.blockType(0x600)]) }] {
            let (r, types) = run()
            #expect(r == .ebusy)
            #expect(types == [.unmovable, .movable])
        }
    }

    @Test func newAlignmentSucceedsAndLeavesPartnerUntouched() {
        let m = Machine<V519>(layout: layout()); setUp(m)
        let before = m.zone[0].nrFreePages
        let r = m.allocContigRange(0x600, 0x800)
        #expect(r.result == .ok)
        #expect(m.zone[0].nrFreePages == before - 512)
        #expect(m.blockType(0x400) == .unmovable)
        #expect(m.blockType(0x600) == .movable)
        #expect((0x600..<0x800).allSatisfy { m.kind($0) == .allocated })
        #expect(m.kind(0x400) == .allocated && m.kind(0x401) != .allocated)
        #expect(drift(m) == 0)
        #expect(m.structuralViolations().isEmpty)
    }
}
