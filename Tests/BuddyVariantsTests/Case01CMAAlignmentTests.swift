import Testing
import BuddyCore
import BuddyVariants

/// kernel-reference §10 case 1 / §6.2: CMA minimum alignment per era and architecture.
@Suite struct CMAAlignmentTests {
    @Test func x86MinimumIs4MiBBeforeAnd2MiBAfter() {
        #expect(Machine<V518>(layout: layout()).cmaAlignmentPages == 1024)   // 4 MiB
        #expect(Machine<V519>(layout: layout()).cmaAlignmentPages == 512)    // 2 MiB
        #expect(Machine<V11>(layout: layout()).cmaAlignmentPages == 512)
    }

    @Test func declareContiguousRoundsSizeUp() {
        let old = Machine<V518>(layout: layout()), new = Machine<V519>(layout: layout())
        #expect(old.cmaDeclareRounding(basePfn: nil, pages: 256).pages == 1024)    // 1 MiB → 4 MiB
        #expect(new.cmaDeclareRounding(basePfn: nil, pages: 256).pages == 512)     // 1 MiB → 2 MiB
        #expect(old.cmaDeclareRounding(basePfn: nil, pages: 1536).pages == 2048)   // 6 MiB → 8 MiB
        #expect(new.cmaDeclareRounding(basePfn: nil, pages: 1536).pages == 1536)   // 6 MiB → 6 MiB
    }

    @Test func initReservedMemAt2MiBButNot4MiBAlignedBase() {
        // base 6 MiB = pfn 0x600, size 2 MiB = 512 pages: -EINVAL before, 0 after.
        #expect(Machine<V518>(layout: layout()).cmaInitReservedMemCheck(basePfn: 0x600, pages: 512) == .einval)
        #expect(Machine<V519>(layout: layout()).cmaInitReservedMemCheck(basePfn: 0x600, pages: 512) == .ok)
    }

    @Test func arm64LargePagesUnchanged() {
        let g16 = layout(.arm64_16k, pages: 8192, block: 2048)
        #expect(Machine<V518>(layout: g16).cmaAlignmentPages << 14 == 32 << 20)
        #expect(Machine<V519>(layout: g16).cmaAlignmentPages << 14 == 32 << 20)
        let g64 = layout(.arm64_64k, pages: 16384, block: 8192)
        #expect(Machine<V518>(layout: g64).cmaAlignmentPages << 16 == 512 << 20)
        #expect(Machine<V519>(layout: g64).cmaAlignmentPages << 16 == 512 << 20)
    }
}
