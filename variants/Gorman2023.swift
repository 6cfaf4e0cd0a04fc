import BuddyCore

/// linux-6.1 with Mel Gorman's v6.3 reserve rules but without the 2025 ALLOC_HIGHATOMIC fix
/// (`ReserveAccessV63`): what a 6.1.y kernel carried between the stable backport of the series
/// and the fix's. Every other axis is `Linux61`'s, named through it so the two cannot drift.
public enum Gorman2023: StrategySet {
    public typealias Alignment = Linux61.Alignment
    public typealias Accounting = Linux61.Accounting
    public typealias Merge = Linux61.Merge
    public typealias Era = Linux61.Era
    public typealias FreeLists = Linux61.FreeLists
    public typealias Isolation = Linux61.Isolation
    public typealias Reserves = ReserveAccessV63
}
