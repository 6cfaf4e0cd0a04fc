import BuddyBounds
import BuddyCore
import BuddyYAML

/// `machine: { zones_from_zoneinfo: FILE }` (issue 23): the zones of a real machine's
/// `/proc/zoneinfo`, each sized to its **managed** pages (what the buddy allocator actually
/// manages: spanned minus holes minus reserved memory) rounded up to whole max-order blocks,
/// laid out contiguously from `ram_start` in the file's order; zones with no managed pages are
/// left out. For a trace replayed in requests mode, where the variant places every page itself,
/// this is the machine the capture ran on without its holes and reserved memory; pfn mode needs
/// the real spans and keeps `zones:`.
extension MachineDecoder {
    func decodeZonesFromZoneinfo(_ node: YAMLNode, unit: Int) throws(YAMLDecodeError) -> [ZoneSpec] {
        let file = try reader.string(node)
        let path = WorkloadDecoder.resolve(file, against: reader.file)
        let text: String
        switch BoundedFile.read(path: path, limit: 16 << 20) {
        case .success(let data): text = String(decoding: data, as: UTF8.self)
        case .failure(let problem): throw reader.error("zoneinfo file \(file): \(problem) (looked at \(path))", at: node)
        }
        let zi: ZoneinfoFile
        do { zi = try ZoneinfoFile(text: text, file: file) } catch {
            throw YAMLDecodeError(file: error.file, line: error.line, column: max(error.column, 1), message: error.message)
        }
        let zones = zi.zones.filter { $0.managed > 0 }.map { z in
            ZoneSpec(name: z.name, pages: (z.managed + unit - 1) / unit * unit)
        }
        guard !zones.isEmpty else { throw reader.error("zoneinfo file \(file) has no zone with managed pages", at: node) }
        return zones
    }
}
