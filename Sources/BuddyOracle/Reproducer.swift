import BuddyCore

/// A mismatch's command sequence as an experiment (`ops:` script) that `buddylab run` accepts,
/// plus the driver command file that replays it on the kernel.
///
/// What the YAML cannot say today (stated in its header): the kernel's *imported* start state
/// (an experiment starts from a freshly booted zone, all free), CMA allocations with an explicit
/// alignment and their release, drains, frees of held contiguous ranges, and pinned "movable"
/// pages (a YAML movable allocation is migratable, a driver's is not). Those commands appear as
/// comments at their place.
public enum Reproducer {
    public static func yaml(name: String, kernel: String, variant: String, log: OracleLog,
                            commands: [OracleCommand], results: [OracleResult?], step: Int) -> String {
        let s = log.initial.snapshot
        let unit = max(log.geometry.maxOrderPages, log.geometry.pageblockPages)
        let ramStart = s.startPfn / unit * unit
        let pages = (s.startPfn + s.spanned + unit - 1) / unit * unit - ramStart
        var y = """
        # Reproducer of an oracle mismatch: kernel \(kernel) vs simulator \(variant), at command \(step).
        # NOT expressible in an experiment today: the kernel's imported start state (this machine
        # starts freshly booted, all free), pinned movable pages (YAML movable allocations are
        # migratable), cma_alloc with an explicit alignment, drain, anon mappings, and freeing a held range.
        # Those steps are kept as comments; the exact driver commands are listed at the end.
        schema: 1
        name: \(name)
        description: >
          Commands 1..\(step) of a lockstep run (kernel \(kernel), variant \(variant)) that disagreed at
          command \(step).
        machine:
          preset: x86_64
          page_size: \(log.geometry.pageSize)B
          max_order: \(log.geometry.maxOrder)
          pageblock_order: \(log.geometry.pageblockOrder)
          ram_start: "pfn:\(hexString(ramStart))"
          memory_block: \(pages) pages
          zones:
            - { name: \(log.zoneName), size: \(pages) pages }

        """
        if let c = log.cma {
            y += "  cma:\n    - { name: \(c.name), size: \(c.pages) pages, base: \"pfn:\(hexString(c.base))\" }\n"
        }
        y += "variants: [\(variant)]\nseeds: 1\nworkload:\n  - ops:\n"
        var named: [Int: String] = [:]        // kernel handle → YAML name of an alloc
        var held: Set<Int> = []               // kernel handles of held contig / CMA ranges
        var anyOp = false
        for (i, c) in commands.enumerated() {
            let r = i < results.count ? results[i] : nil
            let tag = "# cmd \(i + 1): \(c.text) → \(r.map(\.description) ?? "?")"
            switch c {
            case let .alloc(order, type, gfp):
                var name = "c\(i + 1)"
                if let h = r?.handle { name = "h\(h)"; named[h] = name }
                // The driver's exact mask when it added words (a plain alloc keeps the engine's
                // default path, as the stored reproducers always did).
                let mask = gfp.isEmpty ? "" : ", gfp: \"\(gfp.mask(for: type))\""
                y += "      - alloc: { order: \(order), type: \(type.name)\(mask), as: \(name) }   \(tag)\n"; anyOp = true
            case let .free(h):
                if let name = named.removeValue(forKey: h) { y += "      - free: \(name)   \(tag)\n"; anyOp = true }
                else { y += "      \(tag) (\(held.contains(h) ? "freeing a held range" : "no live handle"): not expressible)\n" }
            case let .contig(pfn, pages):
                if let h = r?.handle { held.insert(h) }
                y += "      - contig: { start: \"pfn:\(hexString(pfn))\", pages: \(pages), hold: true }   \(tag)\n"; anyOp = true
            case let .isolate(pfn, pages, _):
                y += "      - isolate: { start: \"pfn:\(hexString(pfn))\", pages: \(pages) }   \(tag)\n"; anyOp = true
            case let .unisolate(pfn, pages):
                y += "      - unisolate: { start: \"pfn:\(hexString(pfn))\", pages: \(pages) }   \(tag)\n"; anyOp = true
            case .compact:
                y += "      - compact: { zone: \(log.zoneName) }   \(tag)\n"; anyOp = true
            case let .watermark(mark, order):
                y += "      - watermark: { zone: \(log.zoneName), mark: \(OracleCommand.markNames[mark]), order: \(order) }   \(tag)\n"; anyOp = true
            case .compactOrder:
                // The op form (`compact: { zone, order, priority }`) takes no page; the driver's captures one.
                if let h = r?.handle { held.insert(h) }
                y += "      \(tag) (not expressible: the op's direct compaction captures no page)\n"
            case .cmaAlloc, .drain, .anon, .offline, .online, .hotadd, .kcompactd, .proactive:
                // An anon mapping's pages land where the kernel's faults put them (replayed in
                // lockstep), which an experiment cannot place.
                if let h = r?.handle { held.insert(h) }
                y += "      \(tag) (not expressible)\n"
            }
        }
        if !anyOp { y += "      - watermark: { zone: \(log.zoneName), mark: min, order: 0 }   # placeholder: ops: needs one op\n" }
        y += "# Driver command file (save without the leading '#   ' and run with\n"
        y += "# buddylab oracle --kernel \(kernel) --variant \(variant) --commands FILE):\n"
        y += commands.map { "#   \($0.text)\n" }.joined()
        return y
    }

    /// The driver command file for the same sequence.
    public static func commandFile(_ commands: [OracleCommand], header: String) -> String {
        "# \(header)\n" + commands.map { $0.text + "\n" }.joined()
    }
}
