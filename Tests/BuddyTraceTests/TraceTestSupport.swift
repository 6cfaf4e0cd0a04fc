import Foundation
@testable import BuddyTrace

enum Fixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Every record of a fixture, plus the pass's stats.
    static func records(_ name: String) throws -> ([TraceRecord], TraceStats) {
        var out: [TraceRecord] = []
        let stats = try TraceReader.forEachRecord(path: path(name)) { out.append($0) }
        return (out, stats)
    }

    /// Per-kind counts `[alloc, free, free_batched, zone_locked, pcpu_drain, extfrag]`.
    static func counts(_ stats: TraceStats) -> [Int] { stats.events }

    /// A scratch directory removed by the caller.
    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("buddytrace-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
