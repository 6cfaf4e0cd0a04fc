import BuddyCore
import BuddyVariants

typealias Mainline518 = Combine<MaxOrderAlignment, AccountingMoveTime, MergeRules518, Era2022>
typealias Mainline519 = Combine<PageblockAlignment, AccountingMoveTime, MergeRules518, Era2022>
typealias Linux35 = Combine<MaxOrderAlignment, AccountingOriginal, MergeRules2012, Era2012>
typealias Linux36 = Combine<MaxOrderAlignment, AccountingIsolateBlockCount, MergeRules2012, Era2012>
typealias Linux38 = Combine<MaxOrderAlignment, AccountingMoveTime, MergeRules2012, Era2012>

/// x86_64 geometry, one Normal zone of `pages` (multiple of 1024) with 1024-page memory blocks.
func smallLayout(pages: Int = 2048, ramStart: Int = 0, zones: [ZoneSpec]? = nil) -> MachineLayout {
    MachineLayout(geometry: .x86_64, ramStartPfn: ramStart,
                  zones: zones ?? [ZoneSpec(name: "Normal", pages: pages)], memoryBlockPages: 1024)
}

/// Allocate every free page of zone 0 as order-0 unmovable pages at exact pfns; returns handles by pfn.
func fillCompletely<S>(_ m: Machine<S>) -> [Int: Int] {
    var handles: [Int: Int] = [:]
    for pfn in m.zone[0].startPfn..<m.zone[0].endPfn {
        let (r, h) = m.allocate(atPfn: pfn, order: 0, type: .unmovable, compound: false)
        if r == .ok { handles[pfn] = h }
    }
    return handles
}

/// A one-zone machine of `pages` without per-cpu lists, every page allocated order-0 unmovable
/// (`fillCompletely`); the handles by pfn.
func filledMachine<S: StrategySet>(_: S.Type, pages: Int) -> (Machine<S>, [Int: Int]) {
    var layout = smallLayout(pages: pages)
    layout.perCPUListsEnabled = false
    let m = Machine<S>(layout: layout)
    return (m, fillCompletely(m))
}
