import BuddyCore

/// A parsed oracle log (`scripts/oracle/PROTOCOL.md`, "Log"): the kernel's geometry and zone,
/// the full state before the first command, and per command its result and the full state after
/// it, with the page allocations and frees others made meanwhile.
public struct OracleLog: Sendable {
    public var protocolVersion: Int
    public var kernel: String
    public var geometry: Geometry
    public var zoneName: String
    public var watermarks: ZoneWatermarks
    public var cma: (name: String, base: Int, pages: Int)?
    /// The `batch` record's fields (`commands`, `log_bytes`, `pcp`, `foreign_probe`), empty
    /// when the log has none.
    public var batch: [String: String]
    /// State 0 (before any command).
    public var initial: OracleState
    public var steps: [OracleStep]
    /// `elapsed commands=N ns=T`: the kernel's own time for the commands and their snapshots.
    public var elapsed: (commands: Int, ns: Int)?
    /// Records skipped between commands because this host does not know them (line, keyword).
    public var ignored: [(line: Int, record: String)]
    /// Every zone of the header, in the log's (the kernel's zone) order; `zoneName` and
    /// `watermarks` are the first's. One on User-Mode Linux; DMA, DMA32, Normal on x86_64.
    public var zones: [OracleZone] = []
    /// `memory_block pages=N` (x86_64: `memory_block_size_bytes()`, the hotplug unit).
    public var memoryBlockPages: Int?
    /// `memmap_zone ZONE 0xSTART 0xEND OWNER` (x86_64): pfns of ZONE's span whose struct page
    /// names OWNER (`memmap_init`'s `init_unavailable_range` for a hole). Empty on User-Mode Linux.
    public var memmapZones: [OracleMemmapZone] = []
    /// `compound_page ZONE 0xPFN ORDER`: the kernel's compound pages of at least pageblock
    /// order before the batch (`pageblock_skip_persistent`). Empty in logs from older drivers.
    public var compoundPages: [(pfn: Int, order: Int)] = []
    /// `hotadd_range 0xSTART 0xEND` (x86_64 `--hotadd`): RAM the boot hid (`mem=`) that `hotadd`
    /// adds one memory block at a time; nil when the boot left none.
    public var hotaddRange: Range<Int>?
}

/// One `memmap_zone` record: `[start, end)` inside `zone`'s span, struct pages of `owner`.
public struct OracleMemmapZone: Sendable, Equatable {
    public var zone: String
    public var pfns: Range<Int>
    public var owner: String
    public init(zone: String, pfns: Range<Int>, owner: String) { self.zone = zone; self.pfns = pfns; self.owner = owner }
}

/// A zone's `zone`, `watermark` and `lowmem_reserve` records (header; x86_64 logs repeat them in
/// every state, since offline/online change spans, page counts, marks and reserves).
public struct OracleZone: Sendable, Equatable {
    public var name: String
    public var startPfn: Int, spanned: Int, present: Int, managed: Int
    public var watermarks: ZoneWatermarks
    /// `z->lowmem_reserve[]` by kernel zone type (DMA, DMA32, Normal, Movable on x86_64);
    /// empty when the log has no `lowmem_reserve` record (User-Mode Linux).
    public var lowmemReserve: [Int] = []
    public init(name: String, startPfn: Int, spanned: Int, present: Int, managed: Int,
                watermarks: ZoneWatermarks, lowmemReserve: [Int] = []) {
        self.name = name; self.startPfn = startPfn; self.spanned = spanned; self.present = present
        self.managed = managed; self.watermarks = watermarks; self.lowmemReserve = lowmemReserve
    }
}

/// One `state N` … `end` block.
public struct OracleState: Sendable {
    public var snapshot: ZoneSnapshot
    /// Non-empty per-cpu lists (`pcp` lines with pfns): must be empty with `buddylab_nopcp`.
    public var pcp: [(cpu: Int, order: Int, list: MigrateType, pfns: [Int])]
    /// `pcpset` and `pcpmt` records (OracleLog+PCP.swift): each CPU's pageset fields and, ≤ 6.9,
    /// the migratetype cached on each pcp page. Empty in logs from drivers before them.
    public var pcpSets: [OraclePCPSet] = []
    public var pcpCached: [OraclePCPCached] = []
    /// `foreign` lines, in log order.
    public var foreign: [ForeignEvent]
    /// `foreign lost N`: events the probe could not record (the state is then not reproducible).
    public var foreignLost: Int
    /// `side alloc|free …`: page events inside the driver's own command. In `contig`,
    /// `cma_alloc` and `isolate` they are part of what the simulator models (alloc_contig_range's
    /// frees of the rest of an isolated block; migration targets and their sources); in `anon` and
    /// the `free` of an anon handle (page faults, page tables, unmapping) they are replayed.
    public var side: [ForeignEvent]
    /// `foreign compaction 0xSTART 0xEND taken=N` records, verbatim: someone else's compaction
    /// took free pages without a tracepoint, so the state cannot be reproduced.
    public var foreignCompaction: [String]
    /// Indices of pageblocks the log marks `-` (no memmap): not compared.
    public var noMemmapBlocks: [Int]
    /// `anon H PFN…` records: where each live anonymous mapping's pages are, ascending handles.
    public var anon: [AnonPages] = []
    /// `compaction` and `skip` records, one entry per zone that has them (OracleLog+Compaction.swift).
    public var compaction: [OracleZoneCompaction] = []
    /// Line of the `state` record (for messages).
    public var line: Int
    /// The zones after the first (`snapshot`), in the header's order: empty on a one-zone log.
    public var otherZones: [ZoneSnapshot] = []
    /// The state's own `zone`/`watermark`/`lowmem_reserve` records, one per zone in header order
    /// (x86_64 logs); empty when the log carries them in the header only.
    public var zoneRecords: [OracleZone] = []
    /// Per zone after the first: indices of its pageblocks the log marks `-` (no memmap: the PCI
    /// hole inside x86_64's DMA32 span), as `noMemmapBlocks` is for the first.
    public var otherNoMemmap: [[Int]] = []
    /// Every zone's snapshot, header order.
    public var zones: [ZoneSnapshot] { [snapshot] + otherZones }
}

/// One `anon H PFN…` record: the pages of anonymous mapping H in address order (nil: not resident).
public struct AnonPages: Sendable, Equatable {
    public var handle: Int
    public var pfns: [Int?]
    public init(handle: Int, pfns: [Int?]) { self.handle = handle; self.pfns = pfns }
}

/// A page allocation or free by someone other than the driver (`foreign alloc|free PFN ORDER [TYPE]`).
public struct ForeignEvent: Sendable, Equatable, CustomStringConvertible {
    public var isAlloc: Bool
    public var pfn: Int
    public var order: Int
    public var type: AllocType
    /// An alloc's `__GFP_COMP` (` comp` in logs whose batch says `gfp_comp=on`); nil when the
    /// log does not say (older drivers: replayed as compound when order > 0, as before). A
    /// non-compound order-9 page (`add_memory`'s vmemmap block) is scanned by compaction, a
    /// compound one is not (`pageblock_skip_persistent`).
    public var compound: Bool?
    public init(isAlloc: Bool, pfn: Int, order: Int, type: AllocType, compound: Bool? = nil) {
        self.isAlloc = isAlloc; self.pfn = pfn; self.order = order; self.type = type; self.compound = compound
    }
    public var description: String {
        "foreign \(isAlloc ? "alloc" : "free") \(hexString(pfn)) order \(order)" + (isAlloc ? " \(type.name)" : "") + (compound == true ? " comp" : "")
    }
}

/// `cmd N …`, `result N …`, `state N` … `end`.
public struct OracleStep: Sendable {
    public var index: Int
    public var command: OracleCommand
    public var result: OracleResult
    public var state: OracleState
    public var line: Int
    /// `bench …` records of a timing command, verbatim.
    public var bench: [String]
}

/// A log that does not follow the protocol: names file:line and the record.
public struct OracleLogError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    /// 1-based column of the offending token; 0 when the whole record is to blame.
    public var column: Int
    public var message: String
    public init(file: String, line: Int, column: Int = 0, message: String) {
        self.file = file; self.line = line; self.column = column; self.message = message
    }
    public var description: String { column == 0 ? "\(file):\(line): \(message)" : "\(file):\(line):\(column): \(message)" }
}

/// List names as the log spells them (`PROTOCOL.md`), in `MigrateType` order.
public let oracleListNames = ["unmovable", "movable", "reclaimable", "highatomic", "cma", "isolate"]

extension MigrateType {
    /// The log's list name.
    public var oracleName: String { oracleListNames[Int(rawValue)] }
    /// The log's pageblock character.
    static func fromPageblockChar(_ c: UInt8) -> MigrateType? {
        switch c {
        case UInt8(ascii: "U"): .unmovable
        case UInt8(ascii: "M"): .movable
        case UInt8(ascii: "R"): .reclaimable
        case UInt8(ascii: "H"): .highatomic
        case UInt8(ascii: "C"): .cma
        case UInt8(ascii: "I"): .isolate
        default: nil
        }
    }
}
