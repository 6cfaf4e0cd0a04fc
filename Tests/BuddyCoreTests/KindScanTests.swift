import BuddyCore
import BuddyVariants
import Testing

/// `Machine.firstFrame(notOfKind:from:to:)`, the checker's word-wise scan (four frames per
/// 64-bit load of the interleaved `state`/`info` bytes), and the checker's findings through it.
@Suite struct KindScanTests {
    /// A booted 2048-page machine is two order-10 free blocks: every frame but 0 and 1024 is a
    /// tail (`.none`). A stray kind planted at each offset of a word is found exactly there,
    /// whatever the range's alignment; an `info` byte (the odd bytes of a load) never counts.
    @Test func findsTheFirstFrameOfAnotherKindAtEveryOffset() {
        let m = Machine<Mainline519>(layout: smallLayout(pages: 2048))
        #expect(m.firstFrame(notOfKind: .none, from: 1, to: 1024) == nil)
        #expect(m.firstFrame(notOfKind: .none, from: 0, to: 1024) == 0)
        #expect(m.firstFrame(notOfKind: .none, from: 1, to: 1025) == 1024)
        for i in 1..<1024 { m.info[i] = 0xff }   // never read as a kind
        #expect(m.firstFrame(notOfKind: .none, from: 1, to: 1024) == nil)
        for from in 1...5 {
            for stray in (from + 3)...(from + 12) {
                let saved = m.state[stray]
                m.state[stray] = 0x30   // reserved
                #expect(m.firstFrame(notOfKind: .none, from: from, to: 1024) == stray)
                #expect(m.firstFrame(notOfKind: .none, from: from, to: stray) == nil)
                m.state[stray] = saved
            }
        }
        for i in 1..<1024 { m.info[i] = 0 }
    }

    /// `structuralViolations` names the exact tail that claims to be a head, and stays silent
    /// on a sound machine (`__free_one_page` leaves tails with no kind).
    @Test func theCheckerNamesTheFrameInsideABlock() {
        let m = Machine<Mainline519>(layout: smallLayout(pages: 2048))
        #expect(m.structuralViolations().isEmpty)
        m.state[1024 + 517] = 0x20   // an "allocated head" of order 0 inside the free order-10 block at 0x400
        #expect(m.structuralViolations().contains("frame 0x605 inside block 0x400 order 10 is a allocated too"))
        m.state[1024 + 517] = 0
        #expect(m.structuralViolations().isEmpty)
    }

    /// Offline memory is reserved frame by frame (`__offline_isolated_pages` marks every page
    /// PageReserved): a non-reserved frame in an offline block is named at its pfn.
    @Test func theCheckerNamesANonReservedFrameInAnOfflineBlock() {
        let m = Machine<Mainline519>(layout: smallLayout(pages: 2048))
        #expect(m.offlineBlock(1).result == .ok)
        #expect(m.structuralViolations().isEmpty)
        #expect(m.firstFrame(notOfKind: .reserved, from: 1024, to: 2048) == nil)
        m.state[1024 + 1001] = 0
        #expect(m.firstFrame(notOfKind: .reserved, from: 1024, to: 2048) == 1024 + 1001)
        #expect(m.structuralViolations().contains("offline frame 0x7e9 not reserved"))
    }
}
