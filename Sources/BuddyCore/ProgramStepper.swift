/// Runs a `Program` one event at a time and shows the engine's observable state between events,
/// for tools that compare two variants in lockstep (`buddylab diverge`) — not for `run`, whose
/// loop (`Simulation.run`) stays free of per-event snapshots.
public protocol ProgramStepper: AnyObject {
    /// Events in the program.
    var eventCount: Int { get }
    /// Index of the next event to apply.
    var position: Int { get }
    /// Applies the next event and says what it did.
    func step() -> StepOutcome
    /// The observable state now. `full` adds every free block and every pageblock's type
    /// (O(free blocks + pageblocks)); without it only counters and list lengths (O(lists)).
    func snapshot(full: Bool) -> EngineSnapshot
    /// Faults recorded so far (kind, detail).
    var faultLog: [(kind: String, detail: String)] { get }
    /// Zone names and geometry, for describing differences.
    var layout: MachineLayout { get }
}

/// What one event did, in kernel terms.
public struct StepOutcome: Sendable, Equatable {
    /// `ok`, `enomem`, `ebusy`, … (`OpResult` names), or `-` for events without a result.
    public var result: String
    /// e.g. `pfn 0x1200 order 0` for an allocation.
    public var detail: String
    public init(result: String, detail: String) { self.result = result; self.detail = detail }

    /// What another design could be compared on: the result, and for allocations and frees the
    /// pages involved (`pfn …`, `freed pfn …`). Other details describe the path a design took to
    /// its result ("moved 512 pages", "isolated") and are not part of the kernel's observable
    /// state.
    public func observablyEquals(_ other: StepOutcome) -> Bool {
        guard result == other.result else { return false }
        let located = detail.hasPrefix("pfn ") || detail.hasPrefix("freed pfn ")
            || other.detail.hasPrefix("pfn ") || other.detail.hasPrefix("freed pfn ")
        return !located || detail == other.detail
    }
}

/// A free block on a buddy list.
public struct FreeBlockEntry: Sendable, Equatable, Comparable {
    public var pfn: Int
    public var order: Int
    public var list: MigrateType
    public var zone: Int
    public static func < (a: Self, b: Self) -> Bool { a.pfn != b.pfn ? a.pfn < b.pfn : a.order < b.order }
}

/// The state two variants are compared on: what the kernel itself could print or observe.
public struct EngineSnapshot: Sendable, Equatable {
    /// Per zone: NR_FREE_PAGES, NR_FREE_CMA_PAGES, nr_isolate_pageblock, managed pages.
    public var nrFreePages: [Int]
    public var nrFreeCMAPages: [Int]
    public var nrIsolatePageblock: [Int]
    public var managedPages: [Int]
    /// `free_area[order].nr_free`, indexed zone × orders + order.
    public var nrFree: [Int]
    /// Length of each `free_list[mt]`, indexed (zone × orders + order) × types + mt.
    public var listLengths: [Int]
    /// Every free block, sorted by pfn (full snapshots only).
    public var freeBlocks: [FreeBlockEntry]?
    /// `get_pageblock_migratetype()` of every pageblock (full snapshots only).
    public var pageblockTypes: [MigrateType]?
    /// Faults recorded so far.
    public var faults: Int
}
