import BuddyCore

/// `CommandGenerator`'s view of a several-zone model (the x86_64 oracle): the zonelist of a
/// driver request instead of zone 0. `CommandGenerator` judges room by one zone's free pages and
/// marks; on the pc machine zone 0 is DMA (≈ 3,800 pages), so it would never see room for an
/// `anon` mapping nor squeeze the machine. Here:
/// - free pages, free CMA pages: the sum over the zones a request may use (all of them: the
///   driver's masks name no zone, so `gfp_zone()` is ZONE_NORMAL and the walk goes down to DMA);
/// - the marks: Σ over those zones of `mark + lowmem_reserve[Normal]` — the free pages the
///   zonelist walk of `get_page_from_freelist` leaves behind at that mark (`zone_watermark_fast`
///   with the request's classzone). Above it plus 4096, some zone passes HIGH for the request,
///   so an `anon` fault takes the fast path and reclaims nothing;
/// - the zone range and its free max-order blocks: the zonelist's first zone's (Normal: where
///   the CMA area, the anon faults and so contig and isolation over them are).
/// Everything else is the model's. The commands themselves mean what they mean on the kernel:
/// `watermark` checks the first populated zone (DMA) on both sides, `compact` every zone.
final class ZonelistView: KernelModel {
    let base: any ZonedKernelModel
    /// The zonelist's first zone (the last that is not Movable).
    let top: Int

    init(_ base: any ZonedKernelModel) {
        self.base = base
        top = base.zonelistTop
    }

    var nrFreePages: Int { (0...top).reduce(0) { $0 + base.nrFreePages(zone: $1) } }
    var nrFreeCMAPages: Int { (0...top).reduce(0) { $0 + base.nrFreeCMAPages(zone: $1) } }
    var watermarkValues: [Int] {
        (0...top).reduce([0, 0, 0]) { sum, z in
            let r = base.zoneRecord(zone: z), reserve = r.lowmem[top]
            return zip(sum, r.marks).map { $0 + $1 + reserve }
        }
    }
    var zoneRange: Range<Int> { base.zoneRange(zone: top) }
    var freeMaxOrderBlocks: [Int] { base.freeMaxOrderBlocks(zone: top) }

    func apply(_ command: OracleCommand, kernelSide: [ForeignEvent]?) -> OracleResult { base.apply(command, kernelSide: kernelSide) }
    func anonPfns(handle h: Int) -> [Int]? { base.anonPfns(handle: h) }
    var anonPages: [Int] { base.anonPages }
    func takeSideProblems() -> [String] { base.takeSideProblems() }
    func syncLRU(_ runs: [(pfn: Int, pages: Int)], file: [(pfn: Int, pages: Int)]) { base.syncLRU(runs, file: file) }
    func replay(_ event: ForeignEvent) -> OpResult { base.replay(event) }
    func snapshot(like: ZoneSnapshot) -> ZoneSnapshot { base.snapshot(like: like) }
    var liveHandles: [Int] { base.liveHandles }
    var geometry: Geometry { base.geometry }
    var cmaArea: Range<Int>? { base.cmaArea }
    func violations() -> [String] { base.violations() }
    func touchesKernelPages(_ range: Range<Int>) -> Bool { base.touchesKernelPages(range) }
    func onlyMigratablePages(_ range: Range<Int>) -> Bool { base.onlyMigratablePages(range) }
    func holdsMigratablePages(_ range: Range<Int>) -> Bool { base.holdsMigratablePages(range) }
    func pcpView() -> PCPView? { base.pcpView() }
    var largestFreeOrder: Int { base.largestFreeOrder }
    var freeHighatomicPages: Int { base.freeHighatomicPages }
    var largestFreeOrdinaryOrder: Int { base.largestFreeOrdinaryOrder }
    var nrReservedHighatomic: Int { base.nrReservedHighatomic }
    var maxOrderAllocHandles: [Int] { base.maxOrderAllocHandles }
    var compoundTailBlocks: [Int] { base.compoundTailBlocks }
    func compactionView(zone: Int, skipStart: Int, blocks: Int) -> (fields: ZoneCompaction, skip: [Bool]) {
        base.compactionView(zone: zone, skipStart: skipStart, blocks: blocks)
    }
}
