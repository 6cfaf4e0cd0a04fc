import BuddyCore
import BuddyOracle
import BuddyVariants
import Testing

/// `foreign alloc PFN ORDER TYPE [comp]`: drivers whose `batch` says `gfp_comp=on` mark an
/// allocation with __GFP_COMP (`mm_page_alloc`'s gfp_flags). A non-compound order-9 page is
/// what `add_memory()`'s vmemmap block is (`vmemmap_alloc_block`: GFP_KERNEL |
/// __GFP_RETRY_MAYFAIL | __GFP_NOWARN): compaction scans its pageblock and marks it skipped, where
/// a compound one is kept out (`pageblock_skip_persistent`) — found on 6.1.192 pc `--hotadd`,
/// seed 3, `compact` at command 231 (block 0x105000).
@Suite struct ForeignCompoundTests {
    func parse(batch: String?, alloc: String) throws -> ForeignEvent? {
        var lines = try Fixture.text("synthetic-6.1.log").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let i = try #require(lines.firstIndex(of: "foreign alloc 0x1f0 0 unmovable"))
        lines[i] = alloc
        if let batch { lines.insert(batch, at: 5) }
        let log = try OracleLogParser.parse(lines.joined(separator: "\n"), file: "x.log")
        return log.steps.flatMap(\.state.foreign).first { $0.isAlloc }
    }

    @Test func compoundIsKnownOnlyWhenTheBatchSaysSo() throws {
        let on = "batch commands=16 log_bytes=495034 pcp=off foreign_probe=on gfp_comp=on"
        #expect(try parse(batch: on, alloc: "foreign alloc 0x1f0 4 unmovable comp")?.compound == true)
        #expect(try parse(batch: on, alloc: "foreign alloc 0x1f0 4 unmovable")?.compound == false)
        #expect(try parse(batch: nil, alloc: "foreign alloc 0x1f0 4 unmovable")?.compound == nil)
        #expect(throws: OracleLogError.self) { try parse(batch: on, alloc: "foreign alloc 0x1f0 4 unmovable compound") }
    }

    /// The replay takes the flag: a non-compound order-9 foreign page is no persistent skip.
    @Test func replayKeepsTheFlag() throws {
        for compound in [true, false] {
            var layout = MachineLayout(geometry: .x86_64, ramStartPfn: 0, zones: [ZoneSpec(name: "Normal", pages: 4096)], memoryBlockPages: 1024)
            layout.perCPUListsEnabled = false
            let m = Machine<Linux61>(layout: layout)
            #expect(m.foreignAlloc(pfn: 0x600, order: 9, type: .unmovable, compound: compound) == .ok)
            #expect(m.allocatedBlockCovering(0x7ff)! == (0x600, 9))
            #expect(AllocInfo(raw: m.info[m.index(0x600)]).compound == compound)
        }
    }
}
