/// virtio-mem's plug granularity (kernel-reference §6.3, §10 case 2), answered by each alignment
/// design: the Sub Block Mode subblock is the unit `alloc_contig_range` can be trusted with, so it
/// follows `ContigAlignment.isolationOrder` exactly as CMA's minimum alignment does.

/// How virtio-mem manages a device (drivers/virtio/virtio_mem.c, `virtio_mem_init_hotplug()`).
public enum VirtioMemMode: Sendable, Equatable {
    /// Sub Block Mode (SBM): each Linux memory block is plugged in `perMemoryBlock` subblocks of
    /// `subblockBytes` (`vm->sbm.sb_size`, `vm->sbm.sbs_per_mb`).
    case subBlock(subblockBytes: Int, perMemoryBlock: Int)
    /// Big Block Mode (BBM): whole big blocks of `bytes` =
    /// `max(device_block_size, memory_block_size_bytes())` (`vm->bbm.bb_size`, before the
    /// `bbm_block_size` module parameter).
    case bigBlock(bytes: Int)
}

extension ContigAlignment {
    /// The SBM subblock size `virtio_mem_init_hotplug()` computes, in bytes.
    ///
    /// - Before 448b8ec3bf11 ("drivers: virtio_mem: use pageblock size as the minimum virtio_mem
    ///   size", Zi Yan, v5.19, patch 6/6 of the v11 series):
    ///   `max(device_block_size, max(MAX_ORDER_NR_PAGES, pageblock_nr_pages) × PAGE_SIZE)`.
    ///   (Spelled `PAGE_SIZE * MAX_ORDER_NR_PAGES` once "mm: enforce pageblock_order <
    ///   MAX_ORDER" reached the mm tree in 2022; the value is the same.)
    /// - From 448b8ec3bf11: `max(device_block_size, pageblock_nr_pages × PAGE_SIZE)`.
    ///
    /// Both are `PAGE_SIZE << isolationOrder` raised to the device block: the driver's comment
    /// ties the subblock to what `alloc_contig_range()` handles reliably on ZONE_NORMAL, which is
    /// this axis. x86_64 with a device block ≤ 2 MiB: 4 MiB before, 2 MiB after; arm64 16K:
    /// 32 MiB both; arm64 64K: 512 MiB both (pageblock_order == MAX_ORDER-1 there).
    /// - Parameters:
    ///   - g: page geometry.
    ///   - deviceBlockBytes: the device's `block_size` from its config space.
    /// - Returns: the subblock size in bytes.
    public static func virtioMemSubblockBytes(_ g: Geometry, deviceBlockBytes: Int) -> Int {
        max(deviceBlockBytes, g.pageSize << isolationOrder(g))
    }

    /// The mode `virtio_mem_init_hotplug()` picks: SBM when the subblock is smaller than a Linux
    /// memory block (and `force_bbm` is off), with `memory_block_size_bytes() / sb_size`
    /// subblocks per memory block; BBM otherwise.
    /// - Parameters:
    ///   - g: page geometry.
    ///   - deviceBlockBytes: the device's `block_size`.
    ///   - memoryBlockBytes: `memory_block_size_bytes()`.
    ///   - forceBBM: the `force_bbm` module parameter.
    public static func virtioMemMode(_ g: Geometry, deviceBlockBytes: Int, memoryBlockBytes: Int,
                                     forceBBM: Bool = false) -> VirtioMemMode {
        let sb = virtioMemSubblockBytes(g, deviceBlockBytes: deviceBlockBytes)
        if sb < memoryBlockBytes && !forceBBM {
            return .subBlock(subblockBytes: sb, perMemoryBlock: memoryBlockBytes / sb)
        }
        return .bigBlock(bytes: max(deviceBlockBytes, memoryBlockBytes))
    }
}

extension Machine {
    /// `ContigAlignment.virtioMemSubblockBytes` for this machine's geometry and variant.
    public func virtioMemSubblockBytes(deviceBlockBytes: Int) -> Int {
        S.Alignment.virtioMemSubblockBytes(geometry, deviceBlockBytes: deviceBlockBytes)
    }

    /// `ContigAlignment.virtioMemMode` with this machine's memory block as
    /// `memory_block_size_bytes()`.
    public func virtioMemMode(deviceBlockBytes: Int, forceBBM: Bool = false) -> VirtioMemMode {
        S.Alignment.virtioMemMode(geometry, deviceBlockBytes: deviceBlockBytes,
                                  memoryBlockBytes: layout.memoryBlockPages << geometry.pageShift,
                                  forceBBM: forceBBM)
    }
}
