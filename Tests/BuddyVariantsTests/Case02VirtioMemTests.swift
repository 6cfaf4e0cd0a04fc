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

    /// Every registered variant, in `Variants.ids` order (derived from the registry, so a new
    /// variant is covered without editing this test).
    func perVariant(_ l: MachineLayout, device: Int) -> [Int] {
        Variants.all.map { subblock($0.strategies, l, device: device) }
    }

    /// x86_64, device block ≤ 2 MiB: 4 MiB for every pre-5.19 variant, 2 MiB for zi-yan-v11
    /// (448b8ec3bf11 is its patch 6/6) and linux-5.19.
    @Test func x86SmallDeviceBlock4MiBBefore2MiBAfter() {
        // 4 MiB for the max-order alignment (pre-5.19), 2 MiB for every pageblock alignment.
        let expected = Variants.all.map { $0.alignment == MaxOrderAlignment.id ? 4 * Self.mib : 2 * Self.mib }
        #expect(expected.contains(4 * Self.mib) && expected.contains(2 * Self.mib))
        #expect(Variants.all.first { $0.id == "linux-5.18" }?.alignment == MaxOrderAlignment.id)
        #expect(Variants.all.first { $0.id == "zi-yan-v11" }?.alignment != MaxOrderAlignment.id)
        for device in [4 * Self.kib, 1 * Self.mib, 2 * Self.mib] {
            #expect(perVariant(layout(), device: device) == expected)
        }
        // arm64 4K has the x86_64 geometry and the same answer.
        #expect(perVariant(layout(.arm64_4k), device: 2 * Self.mib) == expected)
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
