import BuddyCore
import BuddyOracle
import BuddyVariants
import Foundation
import Testing

/// Zone-directed allocations on the x86_64 oracle (`alloc … dma|dma32`, PROTOCOL.md): the
/// driver's `__GFP_DMA` / `__GFP_DMA32`. v6.1 include/linux/gfp.h `gfp_zone()` makes the zone
/// the request's `ac->highest_zoneidx` (`prepare_alloc_pages`), so `get_page_from_freelist`
/// walks the zonelist from that zone down and every zone keeps `lowmem_reserve[highest_zoneidx]`
/// (`zone_watermark_fast`) — Machine+ZoneModifier.swift.
@Suite struct ZoneModifierTests {
    /// State 0 of `synthetic-x86-3zones.log` (DMA [0x1, 0x1000), DMA32 [0x1000, 0x4000), Normal
    /// [0x8000, 0xa000); DMA's lowmem_reserve 0 46 78 78) as a one-state log, edited by `edit`.
    static func state0(_ edit: (String) -> String = { $0 }) throws -> OracleLog {
        let text = try Fixture.text("synthetic-x86-3zones.log")
        let head = String(text[..<text.range(of: "cmd 1 ")!.lowerBound])
        return try OracleLogParser.parse(edit(head) + "done\n", file: "z.log")
    }

    func model(_ log: OracleLog) throws -> any KernelModel {
        try makeKernelModel(variant: try Fixture.variant("linux-6.1"), log: log)
    }

    /// Each request starts at its own zone: `dma` takes DMA's first movable order-10 block
    /// (0x400, `__rmqueue_smallest` → `expand` hands out the block's lowest page), `dma32`
    /// DMA32's (0x2000), a plain request Normal's order-9 block (0x9e00) — though DMA and DMA32
    /// hold far more free pages than Normal.
    @Test func theZonelistStartsAtTheNamedZone() throws {
        let m = try model(try Self.state0())
        #expect(m.apply(.alloc(order: 0, type: .movable, gfp: .dma)).pfn == 0x400)
        #expect(m.apply(.alloc(order: 0, type: .movable, gfp: .dma32)).pfn == 0x2000)
        #expect(m.apply(.alloc(order: 0, type: .movable)).pfn == 0x9e00)
    }

    /// lowmem_reserve by classzone: DMA32 and Normal empty, DMA with one free order-6 block
    /// (64 pages). A plain request (classzone Normal) needs DMA above low + lowmem_reserve[Normal]
    /// = 10 + 78 (and at MIN, 8 + 78, in the slow path): `__zone_watermark_ok` fails, enomem. A
    /// `dma32` request (classzone DMA32) needs 10 + 46 < 64: it falls back to DMA and takes 0x400;
    /// a `dma` request (classzone DMA, reserve 0) then takes 0x401.
    @Test func lowmemReserveIsTheNamedZones() throws {
        let log = try Self.state0 { t in
            t.replacingOccurrences(of: "counters DMA nr_free_pages=3072", with: "counters DMA nr_free_pages=64")
                .replacingOccurrences(of: "nr_free DMA 0 0 0 0 0 0 0 0 0 0 3", with: "nr_free DMA 0 0 0 0 0 0 1 0 0 0 0")
                .replacingOccurrences(of: "free DMA 10 movable 0x400 0x800 0xc00", with: "free DMA 6 movable 0x400")
                .replacingOccurrences(of: "counters DMA32 nr_free_pages=8192", with: "counters DMA32 nr_free_pages=0")
                .replacingOccurrences(of: "nr_free DMA32 0 0 0 0 0 0 0 0 0 0 8", with: "nr_free DMA32 0 0 0 0 0 0 0 0 0 0 0")
                .replacingOccurrences(of: "free DMA32 10 movable 0x2000 0x2400 0x2800 0x2c00 0x3000 0x3400 0x3800 0x3c00\n", with: "")
                .replacingOccurrences(of: "counters Normal nr_free_pages=512", with: "counters Normal nr_free_pages=0")
                .replacingOccurrences(of: "nr_free Normal 0 0 0 0 0 0 0 0 0 1 0", with: "nr_free Normal 0 0 0 0 0 0 0 0 0 0 0")
                .replacingOccurrences(of: "free Normal 9 movable 0x9e00\n", with: "")
        }
        #expect(log.initial.zones.map(\.nrFreePages) == [64, 0, 0])
        let m = try model(log)
        #expect(m.apply(.alloc(order: 0, type: .movable)).status == "enomem")
        #expect(m.apply(.alloc(order: 0, type: .movable, gfp: .dma32)).pfn == 0x400)
        #expect(m.apply(.alloc(order: 0, type: .movable, gfp: .dma)).pfn == 0x401)
    }

    /// The words parse and print in the driver's order; both modifiers at once is GFP_ZONE_BAD
    /// (`gfp_zone()`'s VM_BUG_ON under DEBUG_VM) and refused.
    @Test func wordsRoundTripAndBothAreRefused() throws {
        let c = try OracleCommand.parse("alloc 3 reclaimable high,dma32"[...])
        #expect(c == .alloc(order: 3, type: .reclaimable, gfp: [.high, .dma32]))
        #expect(c.text == "alloc 3 reclaimable high,dma32")
        #expect(OracleGFP.dma.zoneModifier == "DMA" && OracleGFP([.comp, .dma32]).zoneModifier == "DMA32" && OracleGFP.high.zoneModifier == nil)
        #expect(throws: (any Error).self) { try OracleCommand.parse("alloc 0 movable dma,dma32"[...]) }
    }

    /// Without a zone of that name (User-Mode Linux has no CONFIG_ZONE_DMA) `__GFP_DMA` is
    /// `OPT_ZONE_DMA` = ZONE_NORMAL: the ordinary zonelist, the same page as a plain request.
    @Test func aMachineWithoutTheZoneIgnoresTheModifier() throws {
        let log = try Fixture.log("kernel-6.1-smoke-cma64M.log")
        let a = try model(log), b = try model(log)
        #expect(a.apply(.alloc(order: 2, type: .unmovable, gfp: .dma)).pfn == b.apply(.alloc(order: 2, type: .unmovable)).pfn)
    }

    /// With a Movable zone (`movablecore=`): the driver's plain movable request has no
    /// __GFP_HIGHMEM, so `gfp_zone()` is ZONE_NORMAL and its zonelist starts below Movable — in
    /// the fixture with its Normal zone renamed Movable, at DMA32 (0x2000), not Movable's free
    /// order-9 block 0x9e00 — while an anon fault (GFP_HIGHUSER_MOVABLE, predicted when choosing
    /// commands) starts at Movable and takes 0x9e00.
    @Test func driverRequestsStartBelowTheMovableZone() throws {
        let log = try Self.state0 { $0.replacingOccurrences(of: "Normal", with: "Movable") }
        #expect(log.zones.map(\.name) == ["DMA", "DMA32", "Movable"])
        let m = try model(log)
        #expect(m.apply(.alloc(order: 0, type: .movable)).pfn == 0x2000)
        let anon = m.apply(.anon(pages: 1))
        #expect(anon.status == "ok" && anon.handle.flatMap { m.anonPfns(handle: $0) } == [0x9e00])
    }

    /// The pc generator draws both words (and only on a several-zone model).
    @Test func theGeneratorDrawsZoneDirectedAllocations() throws {
        var g = ZonedCommandGenerator(seed: 3)
        let cs = g.generate(count: 400, against: try model(try Fixture.log("synthetic-x86-3zones.log")))
        let words = cs.compactMap { c -> String? in
            guard case let .alloc(_, _, gfp) = c else { return nil }
            return gfp.zoneModifier
        }
        #expect(words.contains("DMA") && words.contains("DMA32"))
        var u = ZonedCommandGenerator(seed: 3)
        let one = u.generate(count: 400, against: try model(try Fixture.log("kernel-6.1-smoke-cma64M.log")))
        #expect(!one.contains { if case let .alloc(_, _, gfp) = $0 { gfp.zoneModifier != nil } else { false } })
    }
}
