import BuddyCore
import BuddyOracle
import BuddyVariants
import Testing

/// The x86_64 oracle's logs (PROTOCOL.md, "Several zones"): three zones DMA (from pfn 1),
/// DMA32 and Normal above an absent gap, per-state zone records, `memory_block`, and the
/// `offline`/`online` commands — parsed, imported zone by zone and compared in lockstep.
/// The fixture `synthetic-x86-3zones.log` is written by hand from 6.1's rules; each state is
/// cited at its command below.
@Suite struct ZonedOracleTests {
    @Test func everyZoneIsParsed() throws {
        let log = try Fixture.log("synthetic-x86-3zones.log")
        #expect(log.zones.map(\.name) == ["DMA", "DMA32", "Normal"])
        #expect(log.zoneName == "DMA" && log.watermarks == ZoneWatermarks(min: 8, low: 10, high: 12, boost: 0))
        #expect(log.zones[0].startPfn == 1 && log.zones[0].present == 3998)
        #expect(log.zones[0].lowmemReserve == [0, 46, 78, 78])
        #expect(log.zones[2].startPfn == 0x8000 && log.zones[2].watermarks.high == 24)
        #expect(log.memoryBlockPages == 4096)
        #expect(log.initial.zones.count == 3 && log.initial.zoneRecords.count == 3)
        #expect(log.initial.zones[1].freeLists[10][Int(MigrateType.movable.rawValue)].first == 0x2000)
        #expect(log.initial.zones[2].lru.map(\.pages) == [16])
        #expect(log.steps.map(\.command) == [.alloc(order: 10, type: .movable), .alloc(order: 0, type: .unmovable), .free(handle: 0),
                                             .offline(pfn: 0, pages: 4096), .offline(pfn: 0x1000, pages: 4096),
                                             .offline(pfn: 0x2000, pages: 4096)])
        #expect(log.steps[5].state.zoneRecords.isEmpty)    // a state may leave its zone records out
        #expect(log.steps[5].state.zones[1].pageblocks.map(\.mapCharacter) == Array("UUUUUUUUIIIIIIIIMMMMMMMM"))
    }

    /// One-zone logs (User-Mode Linux) read as before: one zone, no memory block.
    @Test func oneZoneLogsAreUnchanged() throws {
        let log = try Fixture.log("kernel-6.1-smoke-cma64M.log")
        #expect(log.zones.count == 1 && log.zones[0].name == log.zoneName && log.zones[0].lowmemReserve.isEmpty)
        #expect(log.memoryBlockPages == nil && log.initial.otherZones.isEmpty && log.initial.zoneRecords.isEmpty)
    }

    func parseError(_ edit: (inout [String]) -> Void) throws -> OracleLogError? {
        var lines = try Fixture.text("synthetic-x86-3zones.log").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        edit(&lines)
        do { _ = try OracleLogParser.parse(lines.joined(separator: "\n"), file: "z.log"); return nil } catch { return error }
    }

    @Test func zoneRecordsAreChecked() throws {
        // state 0's DMA32 counters removed: the state lacks a zone's record
        let missing = try parseError { $0.removeAll { $0.hasPrefix("counters DMA32 nr_free_pages=8192") } }
        #expect(missing?.message.contains("has no 'counters DMA32' record") == true)
        let unknown = try parseError { l in l[l.firstIndex(of: "free DMA 10 movable 0x400 0x800 0xc00")!] = "free HighMem 10 movable 0x400" }
        #expect(unknown?.message.contains("zone 'HighMem' is not a zone of the header (DMA DMA32 Normal)") == true)
        #expect(unknown?.column == 6)
        let overlap = try parseError { $0[6] = "zone DMA32 start_pfn=0x800 spanned=12288 present=12288 managed=12000" }
        #expect(overlap?.line == 7 && overlap?.message.contains("starts inside zone DMA") == true)
        let block = try parseError { $0[12] = "memory_block pages=3000" }
        #expect(block?.line == 13 && block?.message.contains("not a power of two") == true)
        let partial = try parseError { l in l.remove(at: l.firstIndex(of: "lowmem_reserve Normal 0 0 0 0")! + 0) }
        #expect(partial == nil)    // the header's lowmem_reserve is optional
    }

    @Test func offlineOnlineTextRoundTrips() throws {
        for c: OracleCommand in [.offline(pfn: 0x8000, pages: 32768), .online(pfn: 0x8000, pages: 32768)] {
            #expect(try OracleCommand.parse(Substring(c.text)) == c)
        }
        #expect(OracleCommand.offline(pfn: 0x8000, pages: 32768).text == "offline 0x8000 32768")
    }

    /// Import: every zone reads back as the kernel's (lists in order, counters, nr_free,
    /// pageblocks), the gap between DMA32 and Normal has no RAM, and the reserves are the log's.
    @Test func everyZoneRoundTripsThroughTheImport() throws {
        let log = try Fixture.log("synthetic-x86-3zones.log")
        try Self.roundTrip(try Fixture.variant("linux-6.1").strategies, log)
    }

    static func roundTrip<S: StrategySet>(_: S.Type, _ log: OracleLog) throws {
        let m = try Machine<S>.importing(log: log)
        #expect(m.zoneCount == 3 && m.layout.memoryBlockPages == 4096 && m.ramStart == 0)
        for (z, k) in log.initial.zones.enumerated() {
            var back = m.snapshot(zone: z, pageblockStart: k.pageblockStart, pageblockCount: k.pageblocks.count)
            back.present = k.present
            #expect(back == k, "zone \(log.zones[z].name)")
        }
        #expect(m.isAbsent(0) && m.isAbsent(0x4000) && m.isAbsent(0x7fff) && !m.isAbsent(0x8000))
        #expect(m.lowmemReserveRow(zone: 0) == [0, 46, 78] && m.lowmemReserveRow(zone: 1) == [0, 0, 31])
        #expect(m.zone[2].wmarkLow == 20 && m.zone[1].managedPages == 12000)
        #expect(m.structuralViolations().isEmpty)
    }

    /// linux-6.1 against the fixture: command 1 (`alloc 10 movable`) finds no order-10 block in
    /// Normal (zone_watermark_fast fails: 512 free pages, order 10) and takes DMA32's list head
    /// 0x2000 (`get_page_from_freelist` walks the zonelist; DMA32 keeps min + lowmem_reserve[Normal]);
    /// command 2 (`alloc 0 unmovable`) claims Normal's only free pageblock under ALLOC_NOFRAGMENT
    /// (`__rmqueue_fallback` with min_order = pageblock_order) and `expand()` leaves one block of each
    /// order 0–8; command 3 frees 0x2000 to the list head (`buddy_merge_likely` is false at
    /// MAX_ORDER-1); `offline` of block 0 is -EINVAL (a memory hole at pfn 0, `offline_pages`), of
    /// block 1 -EBUSY (its first pageblock holds pinned pages: `has_unmovable_pages`), of block 2
    /// (four free max-order blocks) succeeds and leaves its pageblocks ISOLATE (v5.10+); its
    /// `side free` of a Normal page (the MEM_GOING_OFFLINE slab shrink) is replayed, so Normal's
    /// order-0 unmovable list gains 0x9000 at its head (`buddy_merge_likely` false).
    @Test func lockstepAgreesAcrossZones() throws {
        let log = try Fixture.log("synthetic-x86-3zones.log")
        let o = Lockstep.run(log: log, variant: try Fixture.variant("linux-6.1"))
        #expect(o.mismatch == nil, "\(o.mismatch.map(LockstepText.mismatch) ?? "")")
        #expect(o.commandsCompared == 6 && o.foreignReplayed == 1)
        let c = LockstepCoverage(log: log)
        #expect(c["zone_fallback"] == 1 && c["offline"] == 1 && c["offline_fail"] == 2 && c["online"] == 0)
    }

    /// A changed kernel answer is found at its command and zone.
    @Test func lockstepNamesTheZoneThatDiffers() throws {
        let text = try Fixture.text("synthetic-x86-3zones.log")
            .replacingOccurrences(of: "result 1 ok handle=0 pfn=0x2000", with: "result 1 ok handle=0 pfn=0x2400")
        let o = Lockstep.run(log: try OracleLogParser.parse(text, file: "z.log"), variant: try Fixture.variant("linux-6.1"))
        #expect(o.mismatch?.step == 1)
        #expect(o.mismatch?.differences.first?.what == "result")
        let lists = try Fixture.text("synthetic-x86-3zones.log")
            .replacingOccurrences(of: "lowmem_reserve DMA32 0 0 31 31\ncounters DMA32 nr_free_pages=7168", with: "lowmem_reserve DMA32 0 0 30 31\ncounters DMA32 nr_free_pages=7168")
        let o2 = Lockstep.run(log: try OracleLogParser.parse(lists, file: "z.log"), variant: try Fixture.variant("linux-6.1"))
        #expect(o2.mismatch?.step == 1)
        #expect(o2.mismatch?.differences.map(\.what) == ["zone DMA32: lowmem_reserve (by zone DMA, DMA32, Normal)"])
    }

    /// The random mix on a several-zone model: seeded (the same commands twice), and its
    /// offline/online draws name only interior blocks — in the fixture, DMA32's middle block
    /// 0x2000 (DMA has one block; block 1 and 3 are DMA32's first and last; Normal has two).
    @Test func generatorDrawsOfflineAndOnlineOfInteriorBlocksOnly() throws {
        let log = try Fixture.log("synthetic-x86-3zones.log")
        let v = try Fixture.variant("linux-6.1")
        func commands() throws -> [OracleCommand] {
            var g = ZonedCommandGenerator(seed: 7)
            return g.generate(count: 400, against: try makeKernelModel(variant: v, log: log))
        }
        let a = try commands()
        #expect(try commands() == a)
        var hotplug = 0
        for c in a {
            switch c {
            case let .offline(pfn, pages), let .online(pfn, pages):
                hotplug += 1
                #expect(pfn == 0x2000 && pages == 4096)
            default: break
            }
        }
        #expect(hotplug > 0)
    }
}
