import BuddyCore
import BuddyVariants

typealias V35 = Combine<MaxOrderAlignment, AccountingOriginal, MergeRules2012, Era2012>
typealias V0618 = Combine<MaxOrderAlignment, AccountingIsolateTimeAdjust, MergeRules2012, Era2012>
typealias VMinchan = Combine<MaxOrderAlignment, AccountingNonCounting, MergeRules2012, Era2012>
typealias V36 = Combine<MaxOrderAlignment, AccountingIsolateBlockCount, MergeRules2012, Era2012>
typealias V37 = Combine<MaxOrderAlignment, AccountingMoveTime37, MergeRules2012, Era2012>
typealias V38 = Combine<MaxOrderAlignment, AccountingMoveTime, MergeRules2012, Era2012>
typealias V318 = Combine<MaxOrderAlignment, AccountingMoveTime, MergeRules318, Era2014>
typealias V46 = Combine<MaxOrderAlignment, AccountingMoveTime, MergeRules46, Era2022>
typealias V518 = Combine<MaxOrderAlignment, AccountingMoveTime, MergeRules518, Era2022>
typealias V11 = Combine<PageblockAlignmentV11, AccountingMoveTime, MergeRules518, Era2022>
typealias V519 = Combine<PageblockAlignment, AccountingMoveTime, MergeRules518, Era2022>

func layout(_ geometry: Geometry = .x86_64, pages: Int = 4096, ramStart: Int = 0, block: Int = 1024,
            zones: [ZoneSpec]? = nil) -> MachineLayout {
    MachineLayout(geometry: geometry, ramStartPfn: ramStart,
                  zones: zones ?? [ZoneSpec(name: "Normal", pages: pages)], memoryBlockPages: block)
}

/// Drift of NR_FREE_PAGES against the truth (pages on non-ISOLATE lists).
func drift<S>(_ m: Machine<S>) -> Int { m.drift().nrFreePages }
