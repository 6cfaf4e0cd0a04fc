import Testing
import BuddyCore
import BuddyVariants

/// Memory hot-add (Machine+HotAdd.swift): `add_memory()` then `online_pages()` (Debian 6.1.192 /
/// 6.12.118 mm/memory_hotplug.c). Held against the x86_64 oracle with `--hotadd 256M` (seeds
/// 1–3, both kernels: Normal's span grew 131,072 → 163,840 → 196,608 pages).
@Suite struct HotAddTests {
    /// Normal [0, 0x2000) in memory blocks of 0x400 pages, and two hidden blocks after it.
    func machine<S: StrategySet>(_: S.Type) -> Machine<S> {
        var layout = smallLayout(pages: 0x2000)
        layout.perCPUListsEnabled = false
        layout.hotpluggablePages = 0x800
        return Machine<S>(layout: layout)
    }

    @Test func addedBlockIsOfflineAndUnmovableUntilOnline() {
        let m = machine(Linux61.self)
        #expect(m.layout.hotpluggableRange == 0x2000..<0x2800)
        #expect(m.isAbsent(0x2000) && !m.isOnline(0x2000))
        #expect(m.hotAddBlock(8).result == .ok)
        // RAM now, still offline; the zeroed usemap reads MIGRATE_UNMOVABLE (section_activate)
        #expect(!m.isAbsent(0x2000) && !m.isOnline(0x2000) && m.blockType(0x2000) == .unmovable)
        #expect(m.zone[0].endPfn == 0x2000 && m.zone[0].presentPages == 0x2000)
        #expect(m.hotAddBlock(8).result == .einval)      // added already (-EEXIST in the kernel)
        #expect(m.hotAddBlock(7).result == .einval)      // boot RAM, not hidden
        #expect(m.onlineBlock(9).result == .einval)      // never added: no memory block device
    }

    /// `online_pages()`: Normal's span grows over the block (`resize_zone_range`), its pages go
    /// to the buddy (max-order chunks through ISOLATE, then MOVABLE), present and managed grow,
    /// the marks are recomputed (`init_per_zone_wmark_min`).
    @Test func onlineGrowsTheZone() {
        grows(Linux61.self)
        grows(Linux612.self)
    }

    func grows<S: StrategySet>(_: S.Type) {
        let m = machine(S.self)
        let free = m.zone[0].nrFreePages, minBefore = m.zone[0].wmarkMin
        #expect(m.hotAddBlock(8).result == .ok && m.onlineBlock(8).result == .ok)
        #expect(m.zone[0].endPfn == 0x2400 && m.zone[0].presentPages == 0x2400 && m.zone[0].managedPages == 0x2400)
        #expect(m.zone[0].nrFreePages == free + 0x400)
        #expect(m.blockType(0x2000) == .movable && m.blockType(0x2200) == .movable)
        #expect(m.zone[0].wmarkMin > minBefore)
        #expect(m.listContents(zone: 0, order: 10, .movable).suffix(1) == [0x2000])
        #expect(m.structuralViolations().isEmpty)
        // and it goes offline again like any block
        #expect(m.offlineBlock(8).result == .ok && m.zone[0].presentPages == 0x2000)
    }
}
