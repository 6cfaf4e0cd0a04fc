/// What kind of memory an allocation request stands for (issue 23's aged workloads), kept per
/// request in `Program.pageClasses` so the reclaim stand-in knows what it may take back.
///
/// The class decides reclaimability only; the request's migratetype and gfp mask are chosen by
/// the generator (BuddyExperiment's `AgePhase`) and travel in the ordinary `.alloc` event.
public enum PageClass: UInt8, Sendable, CaseIterable {
    /// Not a classed request (fill, churn, ops, traces): never reclaimed.
    case none = 0
    /// Clean page cache (file LRU): reclaimed by dropping it.
    case pageCache = 1
    /// Anonymous memory (anon LRU): reclaimed only when the experiment gives swap.
    case anon = 2
    /// A slab of a reclaimable cache (dentries, inodes: __GFP_RECLAIMABLE), freed whole.
    case slabReclaimable = 3
    /// A slab of an unmovable cache (kmalloc), freed whole.
    case slabUnmovable = 4
    /// Long-lived kernel allocations (page tables, kernel stacks, driver buffers).
    case kernel = 5
    /// A high-order request of the benchmark itself (mmtests' stress-highalloc / thpscale probe).
    case highOrder = 6

    /// The YAML / report name.
    public var name: String {
        switch self {
        case .none: "none"
        case .pageCache: "page_cache"
        case .anon: "anon"
        case .slabReclaimable: "slab_reclaimable"
        case .slabUnmovable: "slab_unmovable"
        case .kernel: "kernel"
        case .highOrder: "highorder"
        }
    }
}

/// `reclaim:` — the experiment turns the reclaim stand-in on (absent: nothing is ever
/// reclaimed, as before issue 23).
public struct ReclaimConfig: Sendable, Equatable {
    /// Whether anonymous pages may be swapped out (a swap device with room for all of them).
    public var swap: Bool
    /// Pages kswapd reclaims after each event while it is awake (its speed relative to the
    /// allocating task; default SWAP_CLUSTER_MAX).
    public var kswapdPagesPerEvent: Int
    public init(swap: Bool, kswapdPagesPerEvent: Int = ReclaimConfig.swapClusterMax) {
        self.swap = swap; self.kswapdPagesPerEvent = kswapdPagesPerEvent
    }
    /// SWAP_CLUSTER_MAX (include/linux/swap.h): the batch of one reclaim round.
    public static let swapClusterMax = 32
}
