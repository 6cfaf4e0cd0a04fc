import BuddyCore
import Foundation

/// Writes a list of program events as a schema-1 experiment that `buddylab run` accepts: the
/// machine spelled out in pages and pfns, the events as `ops:` (CMA area allocations and
/// releases, which have no op, as `cma_alloc:` / `cma_release:` phases between them).
enum ShrunkExperimentWriter {
    struct Header {
        var name: String
        var description: String
        var variant: String
        var seed: UInt64
        /// `expect:` lines (already formatted flow mappings).
        var expect: [String]
    }

    static func yaml(_ events: [ProgramEvent], machine config: MachineConfig, experimentFile: String,
                     header h: Header) -> String {
        let layout = config.layout
        var out = "# Written by `buddylab shrink`.\n"
        out += "schema: 1\nname: \(h.name)\ndescription: >\n  \(h.description)\n"
        if let imp = config.procImport {
            // The same /proc files, by absolute path, so the file runs from anywhere.
            func path(_ f: String) -> String { WorkloadDecoder.resolve(f, against: absolute(experimentFile)) }
            out += "machine:\n  page_size: \(layout.geometry.pageSize)\n  memory_block: \(layout.memoryBlockPages) pages\n"
            out += "  from_proc:\n    zoneinfo: \"\(path(imp.zoneinfo))\"\n    pagetypeinfo: \"\(path(imp.pagetypeinfo))\"\n"
            out += "    buddyinfo: \"\(path(imp.buddyinfo))\"\n"
        } else {
            out += machine(layout)
        }
        out += "variants: [\(h.variant)]\nseeds: [\(h.seed)]\nworkload:\n"
        out += workload(events, layout: layout)
        if !h.expect.isEmpty {
            out += "expect:\n" + h.expect.map { "  - \($0)\n" }.joined()
        }
        return out
    }

    static func machine(_ l: MachineLayout) -> String {
        let g = l.geometry
        var s = "machine:\n"
        s += "  page_size: \(g.pageSize)\n  max_order: \(g.maxOrder)\n  pageblock_order: \(g.pageblockOrder)\n"
        s += "  memory_block: \(l.memoryBlockPages) pages\n  ram_start: \"pfn:\(hex(l.ramStartPfn))\"\n  zones:\n"
        for z in l.zones {
            s += "    - { name: \(z.name), size: \(z.pages) pages"
            if let start = z.start { s += ", start: \"pfn:\(hex(start))\"" }
            if !z.holes.isEmpty {
                s += ", holes: [" + z.holes.map { "{ start: \"pfn:\(hex($0.lowerBound))\", size: \($0.count) pages }" }
                    .joined(separator: ", ") + "]"
            }
            s += " }\n"
        }
        if l.cpus > 1 { s += "  cpus: \(l.cpus)\n" }
        if !l.cma.isEmpty {
            s += "  cma:\n"
            for c in l.cma {
                s += "    - { name: \(c.name), size: \(c.pages) pages"
                s += c.basePfn.map { ", base: \"pfn:\(hex($0))\" }\n" } ?? " }\n"
            }
        }
        return s
    }

    static func workload(_ events: [ProgramEvent], layout: MachineLayout) -> String {
        var s = ""
        var inOps = false
        var allocated = Set<Int32>()
        func op(_ text: String) {
            if !inOps { s += "  - ops:\n"; inOps = true }
            s += "      - \(text)\n"
        }
        func phase(_ text: String) { s += "  - \(text)\n"; inOps = false }
        for event in events {
            // On a multi-CPU machine every alloc and free keeps the CPU it ran on.
            let cpu = layout.cpus > 1 ? ", cpu: \(event.cpu)" : ""
            switch event.op {
            case let .alloc(r, order, type, z, compound, gfp):
                allocated.insert(r)
                let zone = z >= 0 ? ", zone: \(layout.zones[Int(z)].name)" : ""
                op("alloc: { order: \(order), type: \(type.name)\(gfpText(gfp))\(zone)\(compoundText(compound)), as: r\(r)\(cpu) }")
            case let .allocAt(pfn, r, order, type, compound, gfp):
                allocated.insert(r)
                op("alloc: { pfn: \(hex(pfn)), order: \(order), type: \(type.name)\(gfpText(gfp))\(compoundText(compound)), as: r\(r)\(cpu) }")
            case let .free(r):
                // A free whose alloc was removed is a no-op in the engine; leave it out.
                if allocated.remove(r) != nil { op(cpu.isEmpty ? "free: r\(r)" : "free: { name: r\(r)\(cpu) }") }
            case let .reserveHighatomic(pfn): op("reserve_highatomic: { pfn: \(hex(pfn)) }")
            case let .compact(z, order, priority):
                let p = CompactPriority(rawValue: Int(priority))?.name ?? "async"
                op(order < 0 ? "compact: { zone: \(layout.zones[z].name) }"
                   : "compact: { zone: \(layout.zones[z].name), order: \(order), priority: \(p) }")
            case let .isolate(start, pages): op("isolate: { start: \(hex(start)), pages: \(pages) }")
            case let .unisolate(start, pages): op("unisolate: { start: \(hex(start)), pages: \(pages) }")
            case let .contig(start, pages, hold): op("contig: { start: \(hex(start)), pages: \(pages)\(hold ? ", hold: true" : "") }")
            case let .cmaDeclare(base, pages): op("cma_declare: { base: \"pfn:\(hex(base))\", size: \(pages) pages }")
            case let .cmaAlloc(area, pages): phase("cma_alloc: { area: \(layout.cma[area].name), size: \(pages) pages }")
            case let .cmaRelease(area, count):
                phase("cma_release: { area: \(layout.cma[area].name), count: \(count < 0 ? "all" : String(count)) }")
            case let .offline(b): op("offline: { block: \(b) }")
            case let .online(b): op("online: { block: \(b) }")
            case let .watermark(z, mark, order):
                op("watermark: { zone: \(layout.zones[z].name), mark: \(["min", "low", "high"][Int(min(mark, 2))]), order: \(order) }")
            case .sample(.agePhase): break   // an age: phase's end marker has no op
            case let .sample(kind): op("sample: \(kind == .drift ? "drift" : "contig_phase")")
            }
        }
        if s.isEmpty { s = "  - ops:\n      - sample: drift\n" }
        return s
    }

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

    static func compoundText(_ c: Bool?) -> String { c.map { ", compound: \($0)" } ?? "" }
    static func hex(_ v: Int) -> String { "0x" + String(v, radix: 16) }
}

/// `, gfp: "MASK"` for a request with a mask (quoted: the names contain `|`).
private func gfpText(_ gfp: GFPMask?) -> String { gfp.map { ", gfp: \"\($0.description)\"" } ?? "" }
