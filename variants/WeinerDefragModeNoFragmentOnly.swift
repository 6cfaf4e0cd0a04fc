import BuddyCore

/// Patch 3/5 of the defrag_mode series alone (`DefragModeNoFragmentOnly`) on `Linux612`: the
/// intermediate step whose changelog reports a lower THP rate than the vanilla kernel.
public enum WeinerDefragModeNoFragmentOnly: StrategySet {
    public typealias Alignment = Linux612.Alignment
    public typealias Accounting = Linux612.Accounting
    public typealias Merge = Linux612.Merge
    public typealias Era = Linux612.Era
    public typealias FreeLists = Linux612.FreeLists
    public typealias Isolation = Linux612.Isolation
    public typealias Reserves = Linux612.Reserves
    public typealias Defrag = DefragModeNoFragmentOnly
}
