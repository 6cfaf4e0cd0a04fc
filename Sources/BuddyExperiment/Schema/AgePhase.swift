import BuddyCore

/// How long a classed request lives, in steps of the `age:` phases (one step = one allocation
/// request of an `age:` phase; the clock runs on across consecutive `age:` phases).
public enum Lifetime: Sendable, Equatable {
    /// Freed exactly `n` steps after its allocation.
    case fixed(Int)
    /// Exponentially distributed with this mean (memoryless: most short, a long tail).
    case exponential(mean: Int)
    /// Pareto with scale x_m (the shortest lifetime) and shape α (heavier tail for smaller α;
    /// the mean is finite only for α > 1): x_m · U^(−1/α).
    case pareto(scale: Int, shape: Double)
    /// Never freed by the workload: only reclaim takes it back (page cache, swappable anon),
    /// or nothing does (kernel memory, slab).
    case untilPressure
}

/// One class of an `age:` phase, resolved: its share of the phase's requests, orders, gfp
/// mask (which fixes the migratetype) and lifetime.
public struct AgeClass: Sendable, Equatable {
    /// `page_cache`, `anon`, `slab`, `kernel` or `highorder` as written.
    public var name: String
    /// The page class of its requests; a slab request is `slabReclaimable` with probability
    /// `reclaimablePerMillion`, else `slabUnmovable`.
    public var pageClass: PageClass
    public var orders: Distribution<UInt8>
    public var gfp: GFPMask
    /// `slab` only: the share of slabs from reclaimable caches (`__GFP_RECLAIMABLE`).
    public var reclaimablePerMillion: UInt64
    public var lifetime: Lifetime
    public init(name: String, pageClass: PageClass, orders: Distribution<UInt8>, gfp: GFPMask,
                reclaimablePerMillion: UInt64 = 0, lifetime: Lifetime) {
        self.name = name; self.pageClass = pageClass; self.orders = orders; self.gfp = gfp
        self.reclaimablePerMillion = reclaimablePerMillion; self.lifetime = lifetime
    }
}

/// `age: { steps, classes: { … }, thp? }` — a machine that ages: every step allocates one
/// request of a class drawn by share, and frees every earlier request whose lifetime has run
/// out. Ends with a per-phase sample of the high-order success (`highorder_*_per_phase`).
public struct AgePhase: Sendable, Equatable {
    public var steps: Int
    /// Index into `classes`, drawn by share.
    public var pick: Distribution<Int>
    public var classes: [AgeClass]
    public init(steps: Int, pick: Distribution<Int>, classes: [AgeClass]) {
        self.steps = steps; self.pick = pick; self.classes = classes
    }
}
