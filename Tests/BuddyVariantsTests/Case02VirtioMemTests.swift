import Testing
import BuddyCore
import BuddyVariants

/// §10 case 2 / §6.3: virtio-mem's Sub Block Mode subblock size. Before 448b8ec3bf11:
/// `max(device_block_size, max(MAX_ORDER_NR_PAGES, pageblock_nr_pages) × PAGE_SIZE)`; after:
/// `max(device_block_size, pageblock_nr_pages × PAGE_SIZE)`.
@Suite struct VirtioMemSubblockTests {
    static let kib = 1 << 10, mib = 1 << 20, gib = 1 << 30

    /// The subblock size a fresh machine of variant `S` computes (and that machine is sound).
    func subblock<S: StrategySet>(_: S.Type, _ l: MachineLayout, device: Int) -> Int {
        let m = Machine<S>(layout: l)
        #expect(m.structuralViolations().isEmpty)
        return m.virtioMemSubblockBytes(deviceBlockBytes: device)
    }

    /// Every registered variant, in `Variants.ids` order.
    func perVariant(_ l: MachineLayout, device: Int) -> [Int] {
        [subblock(V35.self, l, device: device), subblock(V0618.self, l, device: device),
         subblock(VMinchan.self, l, device: device), subblock(V36.self, l, device: device),
         subblock(V37.self, l, device: device), subblock(V38.self, l, device: device),
         subblock(V318.self, l, device: device), subblock(V46.self, l, device: device), subblock(V518.self, l, device: device),
         subblock(V11.self, l, device: device), subblock(V519.self, l, device: device),
         subblock(Linux61.self, l, device: device), subblock(Linux69.self, l, device: device),
         subblock(Linux610.self, l, device: device), subblock(Linux612.self, l, device: device),
         subblock(Linux617.self, l, device: device)]
    }

    /// x86_64, device block ≤ 2 MiB: 4 MiB for every pre-5.19 variant, 2 MiB for zi-yan-v11
    /// (448b8ec3bf11 is its patch 6/6) and linux-5.19.
    @Test func x86SmallDeviceBlock4MiBBefore2MiBAfter() {
        // `perVariant`'s typealiases are the registry's alignment axis, variant for variant.
        #expect(Variants.all.map(\.alignment) == [
            V35.Alignment.id, V0618.Alignment.id, VMinchan.Alignment.id, V36.Alignment.id,
            V37.Alignment.id, V38.Alignment.id, V318.Alignment.id, V46.Alignment.id, V518.Alignment.id,
            V11.Alignment.id, V519.Alignment.id, Linux61.Alignment.id, Linux69.Alignment.id,
            Linux610.Alignment.id, Linux612.Alignment.id, Linux617.Alignment.id])
        #expect(Variants.all.map(\.alignment) == Array(repeating: "max-order", count: 9) + ["pageblock-v11", "pageblock"]
                + Array(repeating: "pageblock-6.0", count: 5))
        let before = Array(repeating: 4 * Self.mib, count: 9)
        for device in [4 * Self.kib, 1 * Self.mib, 2 * Self.mib] {
            #expect(perVariant(layout(), device: device) == before + Array(repeating: 2 * Self.mib, count: 7))
        }
        // arm64 4K has the x86_64 geometry and the same answer.
        #expect(perVariant(layout(.arm64_4k), device: 2 * Self.mib) == before + Array(repeating: 2 * Self.mib, count: 7))
    }

    /// A device block at or above the old subblock wins in every era.
    @Test func x86LargerDeviceBlockWins() {
        #expect(perVariant(layout(), device: 4 * Self.mib) == Array(repeating: 4 * Self.mib, count: Variants.all.count))
        #expect(perVariant(layout(), device: 8 * Self.mib) == Array(repeating: 8 * Self.mib, count: Variants.all.count))
        #expect(perVariant(layout(), device: 128 * Self.mib) == Array(repeating: 128 * Self.mib, count: Variants.all.count))
    }

    /// arm64 16K: pageblock_order 11 == MAX_ORDER-1, so 32 MiB in both eras.
    @Test func arm64_16kIs32MiBBoth() {
        let l = layout(.arm64_16k, pages: 8192, block: 2048)
        #expect(perVariant(l, device: 2 * Self.mib) == Array(repeating: 32 * Self.mib, count: Variants.all.count))
        #expect(perVariant(l, device: 32 * Self.mib) == Array(repeating: 32 * Self.mib, count: Variants.all.count))
        #expect(perVariant(l, device: 64 * Self.mib) == Array(repeating: 64 * Self.mib, count: Variants.all.count))
    }

    /// arm64 64K: pageblock_order 13 == MAX_ORDER-1, so 512 MiB in both eras.
    @Test func arm64_64kIs512MiBBoth() {
        let l = layout(.arm64_64k, pages: 16384, block: 8192)
        #expect(perVariant(l, device: 2 * Self.mib) == Array(repeating: 512 * Self.mib, count: Variants.all.count))
        #expect(perVariant(l, device: 1 * Self.gib) == Array(repeating: 1 * Self.gib, count: Variants.all.count))
    }

    /// SBM versus BBM (`sb_size < memory_block_size_bytes() && !force_bbm`), with the usual
    /// memory block sizes: x86_64 128 MiB, arm64 16K 128 MiB, arm64 64K 512 MiB.
    @Test func modeAndSubblocksPerMemoryBlock() {
        let x86 = layout(pages: 32768, block: 32768)
        let old = Machine<V518>(layout: x86), new = Machine<V519>(layout: x86), v11 = Machine<V11>(layout: x86)
        #expect(old.virtioMemMode(deviceBlockBytes: 2 * Self.mib) == .subBlock(subblockBytes: 4 * Self.mib, perMemoryBlock: 32))
        #expect(new.virtioMemMode(deviceBlockBytes: 2 * Self.mib) == .subBlock(subblockBytes: 2 * Self.mib, perMemoryBlock: 64))
        #expect(v11.virtioMemMode(deviceBlockBytes: 2 * Self.mib) == .subBlock(subblockBytes: 2 * Self.mib, perMemoryBlock: 64))
        #expect(new.virtioMemMode(deviceBlockBytes: 2 * Self.mib, forceBBM: true) == .bigBlock(bytes: 128 * Self.mib))
        #expect(old.virtioMemMode(deviceBlockBytes: 128 * Self.mib) == .bigBlock(bytes: 128 * Self.mib))

        let a16 = layout(.arm64_16k, pages: 8192, block: 8192)
        let old16 = Machine<V518>(layout: a16), new16 = Machine<V519>(layout: a16)
        #expect(old16.virtioMemMode(deviceBlockBytes: 2 * Self.mib) == .subBlock(subblockBytes: 32 * Self.mib, perMemoryBlock: 4))
        #expect(new16.virtioMemMode(deviceBlockBytes: 2 * Self.mib) == .subBlock(subblockBytes: 32 * Self.mib, perMemoryBlock: 4))

        // arm64 64K: the subblock equals the memory block, so SBM is impossible in both eras.
        let a64 = layout(.arm64_64k, pages: 8192, block: 8192)
        let old64 = Machine<V518>(layout: a64), new64 = Machine<V519>(layout: a64)
        #expect(old64.virtioMemMode(deviceBlockBytes: 2 * Self.mib) == .bigBlock(bytes: 512 * Self.mib))
        #expect(new64.virtioMemMode(deviceBlockBytes: 2 * Self.mib) == .bigBlock(bytes: 512 * Self.mib))

        #expect(old.structuralViolations().isEmpty && new.structuralViolations().isEmpty && v11.structuralViolations().isEmpty)
        #expect(old16.structuralViolations().isEmpty && new16.structuralViolations().isEmpty)
        #expect(old64.structuralViolations().isEmpty && new64.structuralViolations().isEmpty)
    }
}
