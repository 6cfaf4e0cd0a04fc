import BuddyBounds
import BuddyCore

/// One command of the oracle driver's command file (`scripts/oracle/PROTOCOL.md`, "Command
/// file"). The same value runs on the real kernel (as its text line) and on the simulator.
public enum OracleCommand: Sendable, Equatable {
    /// `alloc_pages(gfp, order)` with the type's GFP mobility bits and `gfp`'s words → a handle.
    case alloc(order: Int, type: AllocType, gfp: OracleGFP = [])
    /// Free handle `h` (pages, contig range or CMA range, as it was allocated).
    case free(handle: Int)
    /// `alloc_contig_range(pfn, pfn + pages, MIGRATE_MOVABLE)` → a handle.
    case contig(pfn: Int, pages: Int)
    /// `start_isolate_page_range`; `offline`: MEMORY_OFFLINE | REPORT_FAILURE.
    case isolate(pfn: Int, pages: Int, offline: Bool)
    /// `undo_isolate_page_range(pfn, pfn + pages, MIGRATE_MOVABLE)`.
    case unisolate(pfn: Int, pages: Int)
    /// `cma_alloc(buddylab area, count, alignOrder)` → a handle.
    case cmaAlloc(count: Int, alignOrder: Int)
    /// `drain_all_pages(NULL)`.
    case drain
    /// `zone_watermark_ok_safe(zone, order, mark)`; mark 0 min, 1 low, 2 high.
    case watermark(mark: Int, order: Int)
    /// `pages` pages of private anonymous memory faulted in by the batch's own task → a handle
    /// whose pages are on the LRU (movable, migratable); `free` unmaps them.
    case anon(pages: Int)
    /// `compact_node()`'s pass over the zone (what writing `/proc/sys/vm/compact_memory` does):
    /// order −1, MIGRATE_SYNC, whole zone, skip hints ignored.
    case compact
    /// `__alloc_pages_direct_compact`'s compaction for an order-`order` `type` request:
    /// `try_to_compact_pages` at `priority` (deferral, `compact_zone_order` with capture,
    /// `defer_compaction`); a captured page is allocated and held → a handle, as `alloc`'s.
    case compactOrder(order: Int, type: AllocType, priority: CompactPriority)
    /// One kcompactd wake-up for `order` (`wakeup_kcompactd`'s pending order and zone, then
    /// `kcompactd_do_work` on a kthread of the driver's): SYNC_LIGHT, no capture, deferral.
    case kcompactd(order: Int)
    /// kcompactd's proactive pass at `vm.compaction_proactiveness` = `proactiveness`
    /// (`should_proactive_compact_node`, then the pass): `ok` when it ran, `skipped` when not.
    case proactive(proactiveness: Int)

    /// The driver's limit on one `anon` mapping (PROTOCOL.md).
    public static let maxAnonPages = 65536
    /// Memory block `[pfn, pfn + pages)` offline / online as sysfs `memoryN/online` does it
    /// (`device_offline`/`device_online` → `offline_pages`/`online_pages`; x86_64 oracle only).
    case offline(pfn: Int, pages: Int)
    case online(pfn: Int, pages: Int)
    /// Memory block `[pfn, pfn + pages)` of the boot's hidden RAM (`hotadd_range`) added, offline,
    /// as a hot-plugged DIMM is: `add_memory()` (x86_64 oracle with `--hotadd` only).
    case hotadd(pfn: Int, pages: Int)

    static let markNames = ["min", "low", "high"]

    /// Whether a success of this command issues a handle (handles count from 0 in command order).
    public var issuesHandle: Bool {
        switch self {
        case .alloc, .contig, .cmaAlloc, .anon, .compactOrder: true
        default: false
        }
    }

    /// The command as a command-file line.
    public var text: String {
        switch self {
        case let .alloc(order, type, gfp): "alloc \(order) \(type.name)" + (gfp.isEmpty ? "" : " " + gfp.text)
        case let .free(h): "free \(h)"
        case let .contig(pfn, pages): "contig \(hexString(pfn)) \(pages)"
        case let .isolate(pfn, pages, offline): "isolate \(hexString(pfn)) \(pages)" + (offline ? " offline" : "")
        case let .unisolate(pfn, pages): "unisolate \(hexString(pfn)) \(pages)"
        case let .cmaAlloc(count, align): "cma_alloc \(count) \(align)"
        case .drain: "drain"
        case let .watermark(mark, order): "watermark \(Self.markNames[mark]) \(order)"
        case let .anon(pages): "anon \(pages)"
        case .compact: "compact"
        case let .compactOrder(order, type, priority): "compact \(order) \(type.name) \(priority.name)"
        case let .kcompactd(order): "kcompactd \(order)"
        case let .proactive(p): "proactive \(p)"
        case let .offline(pfn, pages): "offline \(hexString(pfn)) \(pages)"
        case let .online(pfn, pages): "online \(hexString(pfn)) \(pages)"
        case let .hotadd(pfn, pages): "hotadd \(hexString(pfn)) \(pages)"
        }
    }

    /// Parses a command-file line (comments and blank lines are the caller's business).
    /// - Throws: a message naming the token that is wrong.
    public static func parse(_ line: Substring) throws(OracleParseProblem) -> OracleCommand {
        let t = line.split(separator: " ", omittingEmptySubsequences: true)
        guard let verb = t.first else { throw OracleParseProblem("empty command") }
        func arity(_ n: ClosedRange<Int>) throws(OracleParseProblem) {
            guard n.contains(t.count - 1) else {
                throw OracleParseProblem("'\(verb)' takes \(n.lowerBound == n.upperBound ? "\(n.lowerBound)" : "\(n.lowerBound)–\(n.upperBound)") arguments, got \(t.count - 1)")
            }
        }
        switch verb {
        case "alloc":
            try arity(2...3)
            let order = try number(t[1], "order")
            guard let type = AllocType.allCases.first(where: { $0.name == t[2] }) else {
                throw OracleParseProblem("unknown allocation type '\(t[2])' (unmovable, movable, reclaimable)", token: t[2])
            }
            return .alloc(order: order, type: type, gfp: t.count == 4 ? try OracleGFP.parse(t[3]) : [])
        case "free":
            try arity(1...1); return .free(handle: try number(t[1], "handle"))
        case "contig":
            try arity(2...2); return .contig(pfn: try number(t[1], "pfn"), pages: try number(t[2], "page count"))
        case "isolate":
            try arity(2...3)
            if t.count == 4, t[3] != "offline" { throw OracleParseProblem("isolate takes 'offline' as its third argument, not '\(t[3])'", token: t[3]) }
            return .isolate(pfn: try number(t[1], "pfn"), pages: try number(t[2], "page count"), offline: t.count == 4)
        case "unisolate":
            try arity(2...2); return .unisolate(pfn: try number(t[1], "pfn"), pages: try number(t[2], "page count"))
        case "offline":
            try arity(2...2); return .offline(pfn: try number(t[1], "pfn"), pages: try number(t[2], "page count"))
        case "online":
            try arity(2...2); return .online(pfn: try number(t[1], "pfn"), pages: try number(t[2], "page count"))
        case "hotadd":
            try arity(2...2); return .hotadd(pfn: try number(t[1], "pfn"), pages: try number(t[2], "page count"))
        case "cma_alloc":
            try arity(2...2); return .cmaAlloc(count: try number(t[1], "count"), alignOrder: try number(t[2], "align order"))
        case "drain":
            try arity(0...0); return .drain
        case "watermark":
            try arity(2...2)
            guard let mark = markNames.firstIndex(of: String(t[1])) else {
                throw OracleParseProblem("unknown watermark '\(t[1])' (min, low, high)", token: t[1])
            }
            return .watermark(mark: mark, order: try number(t[2], "order"))
        case "anon":
            try arity(1...1); return .anon(pages: try number(t[1], "page count"))
        case "compact":
            guard t.count != 1 else { return .compact }
            guard t.count == 4 else {
                throw OracleParseProblem("'compact' takes no arguments (the whole zone) or ORDER TYPE PRIORITY, got \(t.count - 1)")
            }
            let order = try number(t[1], "order")
            guard order > 0 else { throw OracleParseProblem("a direct compaction is for an order above 0", token: t[1]) }
            guard let type = AllocType.allCases.first(where: { $0.name == t[2] }) else {
                throw OracleParseProblem("unknown allocation type '\(t[2])' (unmovable, movable, reclaimable)", token: t[2])
            }
            guard let priority = CompactPriority.allCases.first(where: { $0.name == t[3] }) else {
                throw OracleParseProblem("unknown compaction priority '\(t[3])' (async, sync_light, sync_full)", token: t[3])
            }
            return .compactOrder(order: order, type: type, priority: priority)
        case "kcompactd":
            try arity(1...1)
            let order = try number(t[1], "order")
            guard order > 0 else { throw OracleParseProblem("kcompactd is woken for an order above 0", token: t[1]) }
            return .kcompactd(order: order)
        case "proactive":
            try arity(1...1)
            let p = try number(t[1], "proactiveness")
            guard p <= 100 else { throw OracleParseProblem("vm.compaction_proactiveness is 0–100, not \(p)", token: t[1]) }
            return .proactive(proactiveness: p)
        default:
            throw OracleParseProblem("unknown command '\(verb)'", token: verb)
        }
    }

    /// Decimal or `0x` hex, read into its field's range (`InputBounds`): orders 0…15, pfns below
    /// 2^52, counts and handles up to 2^40 — so the simulated kernel's `pfn + pages` and
    /// `1 << order` cannot overflow.
    static func number(_ s: Substring, _ what: String) throws(OracleParseProblem) -> Int {
        let domain: NumberDomain = switch what {
        case "order", "align order": .order(what)
        case "pfn": .pfn(what)
        default: .count(what)
        }
        switch BoundedNumber.parse(text: s, domain) {
        case .success(let v): return v
        case .failure(let problem): throw OracleParseProblem("\(problem)", token: s)
        }
    }
}

/// What a command returned, as the log's `result` line says it.
public struct OracleResult: Sendable, Equatable, CustomStringConvertible {
    /// `ok`, `enomem`, `ebusy`, `einval`, `fail`, `errno=N`, or (a `compact ORDER …` that
    /// captured no page) the `enum compact_result` it returned, lower case without `COMPACT_`.
    public var status: String
    public var handle: Int?
    public var pfn: Int?
    /// `pages=N` of an `anon` success: the pages mapped.
    public var pages: Int?

    public init(_ status: String, handle: Int? = nil, pfn: Int? = nil, pages: Int? = nil) {
        self.status = status; self.handle = handle; self.pfn = pfn; self.pages = pages
    }

    /// The `compact ORDER …` results that are not `ok`.
    public static let compactResults: Set<String> = Set([CompactStatus.notSuitableZone, .skipped, .deferred, .noSuitablePage,
                                                          .continue, .complete, .partialSkipped, .contended, .success].map(resultName))
    /// `COMPACT_PARTIAL_SKIPPED` → `partial_skipped`.
    public static func resultName(_ s: CompactStatus) -> String { String(s.name.dropFirst("COMPACT_".count)).lowercased() }

    public var description: String {
        var s = status
        if let handle { s += " handle=\(handle)" }
        if let pfn { s += " pfn=\(hexString(pfn))" }
        if let pages { s += " pages=\(pages)" }
        return s
    }
}

/// A parse problem without its position (the caller adds file:line).
public struct OracleParseProblem: Error, Sendable {
    public var message: String
    /// The offending token (its position gives the column), when one is to blame.
    public var token: Substring?
    public init(_ message: String, token: Substring? = nil) { self.message = message; self.token = token }
}

func hexString(_ v: Int) -> String { "0x" + String(v, radix: 16) }
