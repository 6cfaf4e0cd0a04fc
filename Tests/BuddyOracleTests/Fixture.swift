import BuddyCore
import BuddyOracle
import BuddyVariants
import Foundation

/// The test fixtures: oracle logs under `Fixtures/`.
enum Fixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func text(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }

    static func log(_ name: String) throws -> OracleLog {
        try OracleLogParser.parse(text(name), file: name)
    }

    static func variant(_ id: String) throws -> Variant {
        guard let v = Variants.named(id) else { throw OracleLogError(file: id, line: 0, message: "no variant \(id)") }
        return v
    }
}
