/// Bytes of memory one simulated machine takes, computed from the layout before anything is
/// allocated, so a machine that cannot fit is refused as bad input instead of dying in
/// `allocate(capacity:)` (issue 12, defect 2).
///
/// Every figure is taken from the element types `Machine.init` allocates (`MemoryLayout` of the
/// stored types), not written down: a change to the frame layout changes the estimate with it.
/// `Machine.bytesPerFrame` reports the frame and pageblock-array part from a live machine (a
/// test holds the two equal).
public enum EngineFootprint {
    /// Per frame: the `lru.next`/`lru.prev` pair (`PairedField<UInt32>`) and the `state`/`info`
    /// pair (`PairedField<UInt8>`): 10 bytes.
    public static var bytesPerFrame: Int {
        2 * MemoryLayout<UInt32>.stride + 2 * MemoryLayout<UInt8>.stride
    }

    /// Per pageblock: its migratetype and zone index (one `UInt8` each), plus the one character
    /// of the pageblock map every run records.
    public static var bytesPerPageblock: Int { 2 * MemoryLayout<UInt8>.stride + 1 }

    /// Per live workload allocation at most: the handle table's `pfns` and `released` entries
    /// (`UInt32` each), doubled because the table grows by doubling, plus the executor's
    /// request → handle slot (`Int32`). The estimate uses the table's exact capacity
    /// (`handleTableBytes`); this is the bound.
    public static var bytesPerHandle: Int { 2 * 2 * MemoryLayout<UInt32>.stride + MemoryLayout<Int32>.stride }

    /// The slots `HandleTable` has once `n` handles were live at once: 1024, doubled until
    /// they fit (`HandleTable.grow`).
    public static func handleTableCapacity(_ n: Int) -> Int {
        var c = HandleTable.initialCapacity
        while c < n { c <<= 1 }
        return c
    }

    /// The handle table's resident bytes for `n` live handles: `pfns` and `released`, one
    /// `UInt32` each per slot (issue 25: the bound of 16 B per handle overstated it by up to
    /// 2×). `released` is written only when a handle is freed: a workload that never frees one
    /// (a `fill`) leaves its pages untouched, so they are not resident (64 GiB half-filled:
    /// 32 MiB).
    public static func handleTableBytes(_ n: Int, releases: Bool = true) -> Int {
        (releases ? 2 : 1) * MemoryLayout<UInt32>.stride * handleTableCapacity(n)
    }

    /// Per request of a run with `reclaim:`: the stand-in's class byte, LRU links and handle
    /// (`ReclaimState.activate`: one `UInt8` and three `Int32`), all written when it starts.
    public static var bytesPerReclaimRequest: Int { MemoryLayout<UInt8>.stride + 3 * MemoryLayout<Int32>.stride }

    /// Per request of an `age:` workload: its `PageClass` byte (`Program.pageClasses`).
    public static var bytesPerClassedRequest: Int { MemoryLayout<UInt8>.stride }

    /// Per workload event: one `ProgramEvent` in the program a seed's runs share.
    public static var bytesPerEvent: Int { MemoryLayout<ProgramEvent>.stride }

    /// The fixed state of a machine with `layout`: frames, pageblocks, free-list heads, tails and
    /// lengths, `nr_free`, zone counters, the memory-block online map and CMA bitmaps.
    public static func machineBytes(_ layout: MachineLayout) -> Int {
        let frames = layout.totalPages
        let pageblocks = frames >> layout.geometry.pageblockOrder
        let zones = layout.zones.count
        let orders = layout.geometry.orderCount
        let lists = zones * orders * MigrateType.count
        let listBytes = lists * (2 * MemoryLayout<UInt32>.stride + MemoryLayout<Int>.stride)
        let tables = listBytes + zones * orders * MemoryLayout<Int>.stride
            + zones * MemoryLayout<ZoneCounters>.stride
            + frames / max(1, layout.memoryBlockPages) * MemoryLayout<Bool>.stride
            + layout.cma.reduce(0) { $0 + $1.pages } * MemoryLayout<Bool>.stride
        return frames * bytesPerFrame + pageblocks * bytesPerPageblock + tables
    }

    /// The most one run of a program of at most `events` events can take on `layout`: the fixed
    /// state, the handle table at its largest (live allocations are bounded by both the frames
    /// and the events), and the program itself.
    public static func runBytes(_ layout: MachineLayout, events: Int) -> Int {
        runBytes(layout, events: events, liveBound: events, requests: events)
    }

    /// The capacity of the program's event array when the generator reserves `reserved` slots
    /// and appends `events`: past the reservation Swift's array doubles (`_growArrayCapacity`).
    public static func eventCapacity(events: Int, reserved: Int) -> Int {
        var c = max(reserved, 0)
        if c == 0, events > 0 { c = 1 }
        while c < events { c *= 2 }
        return c
    }

    /// The same with what the workload is known to hold (a trace's decode pass counts it): at
    /// most `liveBound` allocations live at once, `requests` requests in all. The handle table
    /// follows the live allocations; the executor's dense request → handle table
    /// (`DenseRequestHandles`, a program held whole) has a slot per request.
    /// `eventCapacity`: the slots the program's array has for `events` (default: exactly
    /// `events`; the generator's reservation and doubling: `eventCapacity(events:reserved:)`).
    /// `releases`: whether the workload can free a handle (`handleTableBytes`).
    public static func runBytes(_ layout: MachineLayout, events: Int, liveBound: Int, requests: Int,
                                eventCapacity: Int? = nil, releases: Bool = true) -> Int {
        let handles = min(layout.totalPages, liveBound)
        let requestSlot = MemoryLayout<Int32>.stride
        return machineBytes(layout) + handleTableBytes(handles, releases: releases) + requests * requestSlot
            + (eventCapacity ?? events) * bytesPerEvent
    }

    /// Per live traced page in a stream's request-matching table (a `[Int: (Int32, Int)]`
    /// entry of 24 B at the dictionary's 3/4 load, rounded up): one table per cursor.
    public static let bytesPerMatchedPage = 48

    /// Per live request of a streamed run, the executor's request → handle map
    /// (`LiveRequestHandles`): one 8-byte slot, at most four slots per entry (kept at least twice
    /// the entries, doubled when an insert would pass that).
    public static var bytesPerLiveRequest: Int { 4 * MemoryLayout<UInt64>.stride }

    /// A streamed program's run (issue 25): the fixed state, the handle table and the executor's
    /// request → handle map at the most allocations the stream can hold live (`liveBound`), the
    /// cursor's matching table and four chunk buffers — no per-event or per-request term.
    public static func streamedRunBytes(_ layout: MachineLayout, liveBound: Int,
                                        matchedPages: Int, chunkEvents: Int) -> Int {
        let handles = min(layout.totalPages, liveBound)
        return machineBytes(layout) + handleTableBytes(handles)
            + liveBound * bytesPerLiveRequest + matchedPages * bytesPerMatchedPage
            + 4 * chunkEvents * bytesPerEvent
    }
}
