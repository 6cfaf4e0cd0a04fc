import BuddyCore
import BuddyVariants

/// The memory-offline cases of issue 26 on the x86_64 oracle (`--machine pc`: zones DMA, DMA32,
/// Normal; memory blocks of `memory_block pages=`), kernel beside simulator as in
/// `Calibration.markdown`, with NR_FREE_PAGES summed over every zone.
extension Calibration {
    /// One pc case: commands chosen against a model of the probe boot's state.
    public struct PCCase: Sendable {
        public var name: String
        public var summary: String
        public var commands: @Sendable (any KernelModel) -> [OracleCommand]?
    }

    /// An interior memory block (neither the first nor the last of its zone: offlining those
    /// shrinks the zone's span, see `ZonedCommandGenerator`) that held no kernel page at import,
    /// the highest such (the least disturbed memory of a fresh boot).
    static func idleInteriorBlock(_ model: any KernelModel) -> Int? {
        guard let m = model as? any ZonedKernelModel else { return nil }
        let bp = m.memoryBlockPages
        var best: Int?
        for z in 0..<m.zoneCount {
            let r = m.zoneRange(zone: z)
            let first = (r.lowerBound + bp - 1) / bp, last = r.upperBound / bp - 1
            guard first + 2 <= last else { continue }
            for b in (first + 1)...(last - 1) where !m.touchesKernelPages((b * bp)..<((b + 1) * bp)) && !m.hasAbsent((b * bp)..<((b + 1) * bp)) {
                best = max(best ?? b, b)
            }
        }
        return best
    }

    public static let pcCases: [PCCase] = [
        PCCase(name: "offline-online-cycles",
               summary: "Issue 26 / the 2012 NR_FREE_PAGES drift: five offline/online cycles of an idle memory block (sysfs memoryN/online 0 then 1). On 6.1 NR_FREE_PAGES must come back to where it started after every online.") { m in
            guard let b = idleInteriorBlock(m), let z = m as? any ZonedKernelModel else { return nil }
            let bp = z.memoryBlockPages
            return Array(repeating: [OracleCommand.offline(pfn: b * bp, pages: bp), .online(pfn: b * bp, pages: bp)], count: 5).flatMap { $0 }
        },
        PCCase(name: "offline-with-an-unmovable-page",
               summary: "A page pinned in an otherwise idle block (`contig P 1`: the driver's pages are not on the LRU, so has_unmovable_pages refuses them): offlining the block must fail with -EBUSY and leave it online; after the page is freed the block goes offline.") { m in
            guard let b = idleInteriorBlock(m), let z = m as? any ZonedKernelModel else { return nil }
            let bp = z.memoryBlockPages, p = b * bp + bp / 2
            return [.contig(pfn: p, pages: 1), .offline(pfn: b * bp, pages: bp), .free(handle: 0),
                    .offline(pfn: b * bp, pages: bp), .online(pfn: b * bp, pages: bp)]
        },
        PCCase(name: "offline-of-a-block-spanning-two-zones",
               summary: "Memory block 0 spans ZONE_DMA (from pfn 1) and ZONE_DMA32: the kernel gave it no zone at boot (memory_block->zone is NULL), so memory_block_offline() refuses it with -EINVAL. (No block can span DMA32 and Normal on x86_64: DMA32 ends at 4 GiB, a multiple of every memory block size.)") { m in
            guard let z = m as? any ZonedKernelModel, z.zoneCount > 1 else { return nil }
            return [.offline(pfn: 0, pages: z.memoryBlockPages)]
        },
        PCCase(name: "hot-add-of-a-dimm",
               summary: "Memory hot-add (the calibration boots with 256 MiB the kernel is told to leave alone, mem=): add_memory() of the first hidden memory block, as the ACPI memory driver does for a hot-plugged DIMM, adds it offline (its memmap comes from existing RAM); online gives it ZONE_NORMAL and grows Normal's span by the block (NR_FREE_PAGES up by the block, less what the kernel allocated meanwhile); then one offline/online cycle of it. Every zone's state, kernel beside simulator, after each step.") { m in
            guard let z = m as? any ZonedKernelModel, let b = z.blocksToHotAdd().first else { return nil }
            let bp = z.memoryBlockPages
            return [.hotadd(pfn: b * bp, pages: bp), .online(pfn: b * bp, pages: bp),
                    .offline(pfn: b * bp, pages: bp), .online(pfn: b * bp, pages: bp)]
        },
    ]

    /// Runs every pc case on one kernel series (the simulator replays the kernel's side page events
    /// around an offline/online block and foreign events, as `Lockstep.step` does); `boot(commands)` runs a batch on the x86_64 kernel.
    public static func markdownPC(kernelSeries: String, variants: [Variant],
                                  boot bootBatch: ([OracleCommand]) throws -> (log: OracleLog, build: String?)) throws -> String {
        var builds: [String] = []
        func boot(_ commands: [OracleCommand]) throws -> OracleLog {
            let (log, build) = try bootBatch(commands)
            if let build, !builds.contains(build) { builds.append(build) }
            return log
        }
        var md = ""
        for c in pcCases {
            let probe = try boot([.drain])
            guard let v0 = variants.first else { break }
            md += "### \(c.name)\n\n\(c.summary)\n\n"
            guard let commands = c.commands(try makeKernelModel(variant: v0, log: probe)) else {
                md += "Not run: the booted kernel offered no suitable memory block.\n\n"; continue
            }
            let log = try boot(commands)
            md += "Kernel \(log.kernel); zones " + log.zones.map { "\($0.name) [\(hexString($0.startPfn)), \(hexString($0.startPfn + $0.spanned)))" }.joined(separator: ", ")
            md += "; memory blocks of \(log.memoryBlockPages ?? 0) pages.\n\n"
            let columns = variants.map { replayPC($0, log) }
            md += table(log, columns, freeTitle: "kernel NR_FREE_PAGES (all zones)", state0: true) { $0.zones.reduce(0) { $0 + $1.nrFreePages } }
            for col in columns {
                if let note = col.note { md += "- \(col.variant): \(note)\n" }
                else if let k = col.firstMismatch { md += "- \(col.variant): whole state differs from the kernel's first after command \(k)\(col.firstDifference.map { " (\($0))" } ?? "").\n" }
                else { md += "- \(col.variant): whole state of every zone (and each zone's managed/present pages, marks and lowmem_reserve) equal to the kernel's after every command.\n" }
            }
            md += "\n"
        }
        let key = builds.isEmpty ? "unknown (the run script named no build)" : builds.joined(separator: ", ")
        return "## Linux \(kernelSeries), x86_64 (`--machine pc`, QEMU TCG)\n\nKernel build: `\(key)` (`scripts/oracle/build-x86` cache key).\n\n" + md
    }

    static func replayPC(_ v: Variant, _ log: OracleLog) -> Column {
        var col = Column(variant: v.id, results: [], nrFree: [])
        let built: any KernelModel
        do { built = try makeKernelModel(variant: v, log: log) } catch { col.note = "state not importable: \(error.message)"; return col }
        guard let m = built as? any ZonedKernelModel else { col.note = "not a several-zone model"; return col }
        for s in log.steps {
            col.results.append(m.apply(s.command))
            for e in LockstepMachine.sideEventsToReplay(s) + s.state.foreign { _ = m.replay(e) }
            col.nrFree.append((0..<m.zoneCount).reduce(0) { $0 + m.nrFreePages(zone: $1) })
            if col.firstMismatch == nil, let d = LockstepMachine.compare(s.state, m, log).first {
                col.firstMismatch = s.index
                col.firstDifference = d.description
            }
        }
        return col
    }
}
