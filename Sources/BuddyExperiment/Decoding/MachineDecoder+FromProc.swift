import BuddyBounds
import BuddyCore
import BuddyYAML
import Foundation

/// `machine: { preset?, page_size?, memory_block?, from_proc: { zoneinfo, pagetypeinfo, buddyinfo } }`.
/// Zones, max_order and pageblock_order come from the files (`ProcStatePlanner`); paths are
/// relative to the experiment file.
extension MachineDecoder {
    func decodeFromProc(_ m: MappingReader) throws(YAMLDecodeError) -> MachineConfig {
        for key in ["zones", "ram_start", "cma", "max_order", "pageblock_order"] where m.contains(key) {
            throw reader.error("\(key) comes from the /proc files when from_proc is given; remove it", at: m.keyMark(key))
        }
        var presetName = "x86_64"
        if let n = m.optional("preset") { presetName = try reader.choice(n, from: Geometry.presetNames, what: "preset") }
        var g = Geometry.preset(named: presetName) ?? .x86_64
        if let n = m.optional("page_size") {
            guard case .bytes(let bytes) = try reader.size(n), bytes.nonzeroBitCount == 1, (1 << 10...1 << 20).contains(bytes) else {
                throw reader.error("page_size must be a power of two between 1KiB and 1MiB, in bytes", at: n)
            }
            g.pageShift = bytes.trailingZeroBitCount
        }
        var blockPages: Int?
        if let n = m.optional("memory_block") { blockPages = try PageUnits(reader: reader, pageSize: g.pageSize).pages(n, what: "memory_block") }
        let fp = try reader.mapping(m.required("from_proc"), context: "machine.from_proc")
            .allowing(["zoneinfo", "pagetypeinfo", "buddyinfo"])
        func text(_ key: String) throws(YAMLDecodeError) -> (String, String) {
            let node = try fp.required(key)
            let file = try reader.string(node)
            let path = WorkloadDecoder.resolve(file, against: reader.file)
            // A /proc copy is kilobytes: 16 MiB bounds a wrong path (a device, a huge file).
            switch BoundedFile.read(path: path, limit: 16 << 20) {
            case .success(let data): return (file, String(decoding: data, as: UTF8.self))
            case .failure(let problem):
                throw reader.error("\(key) file \(file): \(problem) (looked at \(path))", at: node)
            }
        }
        let (zf, zt) = try text("zoneinfo"), (pf, ptext) = try text("pagetypeinfo"), (bf, bt) = try text("buddyinfo")
        do {
            let (layout, imp) = try ProcImport.read(zoneinfo: (zf, zt), pagetypeinfo: (pf, ptext), buddyinfo: (bf, bt),
                                                    geometry: g, memoryBlockPages: blockPages)
            var config = MachineConfig(preset: presetName, layout: layout)
            config.procImport = imp
            return config
        } catch {
            throw YAMLDecodeError(file: error.file, line: error.line, column: max(error.column, 1), message: error.message)
        }
    }
}
