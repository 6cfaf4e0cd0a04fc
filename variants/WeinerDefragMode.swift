import BuddyCore

/// `vm.defrag_mode = 1` of v6.15 (`DefragModeV615`) on `Linux612` — Debian's 6.12.y already
/// carries the 6.15 `__rmqueue_claim` / `__rmqueue_steal` split that defrag_mode's ALLOC_NOFRAGMENT
/// acts on, so linux-6.12 against this variant isolates the sysctl. Every other axis is
/// `Linux612`'s, named through it so the two cannot drift.
/// Differs from mainline: not a v6.15 kernel — the rest of the allocator and mm/compaction.c is
/// Debian's 6.12.y as modelled (docs/defrag-mode.md).
public enum WeinerDefragMode: StrategySet {
    public typealias Alignment = Linux612.Alignment
    public typealias Accounting = Linux612.Accounting
    public typealias Merge = Linux612.Merge
    public typealias Era = Linux612.Era
    public typealias FreeLists = Linux612.FreeLists
    public typealias Isolation = Linux612.Isolation
    public typealias Reserves = Linux612.Reserves
    public typealias Defrag = DefragModeV615
}
