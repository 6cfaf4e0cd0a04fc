/// `lowmem_reserve` (v6.1 / v6.12 mm/page_alloc.c `setup_per_zone_lowmem_reserve`): a request
/// whose highest usable zone (`highest_zoneidx`, the classzone) is above zone `z` must leave
/// `z->lowmem_reserve[classzone]` pages free in `z` when it falls back there — the
/// `min + z->lowmem_reserve[highest_zoneidx]` of `__zone_watermark_ok` / `zone_watermark_fast`.
///
/// The engine's zones stand for the kernel's zone types by name (the order of `machine.zones`
/// is the node's zone order): `DMA` and `DMA32` reserve 1/256 of the managed pages above them
/// (`sysctl_lowmem_reserve_ratio` 256), `Normal` 1/32, every other name (`Movable`, `HighMem`,
/// custom names) nothing (ratio 0 clears the row, as the kernel does for 0 or an unmanaged zone).
/// Only eras with `KernelEra.modelsLowmemReserve` use it.
extension Machine {
    /// `sysctl_lowmem_reserve_ratio[]` defaults (v6.1 / v6.12) by zone name.
    public static func lowmemReserveRatio(zoneName: String) -> Int {
        switch zoneName {
        case "DMA", "DMA32": 256
        case "Normal": 32
        default: 0
        }
    }

    /// Mirrors `setup_per_zone_lowmem_reserve()`: for each zone `i` and each zone `j` above it,
    /// `lowmem_reserve[j] = (managed pages of zones i+1…j) / ratio[i]`, 0 when the ratio is 0 or
    /// zone `i` manages no pages; `lowmem_reserve[i]` of the zone itself and below stays 0.
    /// Called from `recomputeWatermarks` (as `init_per_zone_wmark_min` calls it at boot and on
    /// hotplug), where the NOFRAGMENT zone rule is derived too.
    public func setupPerZoneLowmemReserve() {
        guard S.Era.modelsLowmemReserve || S.Era.allocNoFragment || S.Defrag.enforcesNoFragment else { return }
        var table = Array(repeating: 0, count: zoneCount * zoneCount)
        if S.Era.modelsLowmemReserve {
            for i in 0..<zoneCount {
                let ratio = Self.lowmemReserveRatio(zoneName: layout.zones[i].name)
                let clear = ratio == 0 || zone[i].managedPages == 0
                var above = 0
                for j in (i + 1)..<max(zoneCount, i + 1) {
                    above += zone[j].managedPages
                    table[i * zoneCount + j] = clear ? 0 : above / ratio
                }
            }
        }
        book.pointee.lowmemReserve = table
        book.pointee.noFragmentPreferred = (noFragmentApplies(preferred: zonelistHighest(movable: true)),
                                            noFragmentApplies(preferred: zonelistHighest(movable: false)))
    }

    /// `z->lowmem_reserve[classzone]` (0 in eras without the model or for `classzone <= z`).
    @inlinable
    public func lowmemReserve(zone z: Int, classzone: Int) -> Int {
        guard S.Era.modelsLowmemReserve, classzone > z else { return 0 }
        return book.pointee.lowmemReserve[z &* zoneCount &+ classzone]
    }

    /// The first zone of a zonelist request (`ac->preferred_zoneref`, which is also the
    /// classzone in the engine): the top zone for movable requests, the top non-Movable zone for
    /// the others, at most the zone a zone modifier names (`zonelistCap`, `gfp_zone()`); -1 when
    /// there is none.
    @inlinable
    public func zonelistHighest(movable: Bool) -> Int {
        var z = Swift.min(zoneCount &- 1, book.pointee.zonelistCap)
        while z >= 0, !movable, zone[z].isMovableZone { z &-= 1 }
        return z
    }
}
