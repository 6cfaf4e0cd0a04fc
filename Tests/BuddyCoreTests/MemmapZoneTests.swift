import Testing
import BuddyCore
import BuddyVariants

/// Struct pages that name another zone than the span holding them (`MachineLayout.memmapZones`).
/// `memmap_init()` (Debian 6.1.192 / 6.12.118 mm/page_alloc.c, mm/mm_init.c) initialises a hole
/// between two memblock ranges with the zone of the range after it (`memmap_init_zone_range` →
/// `init_unavailable_range`): on the x86_64 oracle the 32 pages between DMA32's last RAM
/// (0x1ffe0) and the PCI hole say Normal. `__pageblock_pfn_to_page()` compares the zone of a
/// block's first and last page, so compaction neither scans that block nor marks it
/// PB_migrate_skip — found by the pc oracle's `skip` record (6.1 pc seed 1, `compact` at command 6,
/// block 0x1fe00).
@Suite struct MemmapZoneTests {
    /// Zone A spans [0, 0x1400) with RAM up to 0xfe0: the 32 pfns after it have Normal's struct
    /// pages, [0x1000, 0x1400) no memmap (a memory block offline at boot, like the PCI hole's
    /// sections); Normal [0x1400, 0x2400). Every RAM page of A is a pinned order-0 unmovable page:
    /// compaction isolates nothing, so every block the migrate scanner scans whole gets its skip
    /// bit; the free scanner starts at A's last block (0x1200) and never runs.
    func machine<S: StrategySet>(_: S.Type, memmap: Bool) -> Machine<S> {
        var layout = smallLayout(zones: [ZoneSpec(name: "DMA32", pages: 0x1400, holes: [0xfe0..<0x1400]),
                                         ZoneSpec(name: "Normal", pages: 0x1000)])
        layout.perCPUListsEnabled = false
        if memmap { layout.memmapZones = [MemmapZoneRange(pfns: 0xfe0..<0x1000, zone: 1)] }
        let m = Machine<S>(layout: layout)
        _ = fillCompletely(m)
        return m
    }

    @Test func pageZoneFollowsTheStructPage() {
        let m = machine(Linux61.self, memmap: true)
        #expect(m.zoneOf(0xfdf) == 0 && m.zoneOf(0xfe0) == 1 && m.zoneOf(0xfff) == 1 && m.zoneOf(0xe00) == 0)
        #expect(m.isAbsent(0xfe0) && !m.isAbsent(0xfdf))
        let plain = machine(Linux61.self, memmap: false)
        #expect(plain.zoneOf(0xfff) == 0)
    }

    /// `compact_node()`'s pass over zone A (`compact_zone`, MIGRATE_SYNC, whole zone): blocks
    /// 0x0–0xc00 are scanned and marked; block 0xe00 is refused by `pageblock_pfn_to_page()` (its last page is Normal's) and stays unmarked.
    func skipped<S: StrategySet>(_: S.Type, memmap: Bool) -> [Int] {
        let m = machine(S.self, memmap: memmap)
        _ = m.compactMemory(zone: 0)
        #expect(m.structuralViolations().isEmpty)
        return stride(from: 0, to: 0x1000, by: 0x200).filter { m.pageblockSkip($0) }
    }

    @Test func compactionSkipsABlockEndingInAnotherZonesStructPages() {
        for era in [skipped(Linux61.self, memmap: true), skipped(Linux612.self, memmap: true)] {
            #expect(era == [0x0, 0x200, 0x400, 0x600, 0x800, 0xa00, 0xc00])
        }
        // without the record the model scans (and marks) the block the kernel refuses
        #expect(skipped(Linux61.self, memmap: false) == [0x0, 0x200, 0x400, 0x600, 0x800, 0xa00, 0xc00, 0xe00])
    }

    @Test func layoutRejectsARangeNamingNoZone() {
        var layout = smallLayout(pages: 0x1000)
        layout.memmapZones = [MemmapZoneRange(pfns: 0xfe0..<0x1000, zone: 3)]
        #expect(layout.validate()?.contains("names no zone") == true)
    }
}
