import BuddyCore
import BuddyOracle
import BuddyTrace
import BuddyVariants
import Foundation

/// The test fixtures: oracle logs under `Fixtures/`.
enum Fixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// A fixture's text; `.gz` fixtures (long real logs) are read through BuddyTrace's gzip source.
    static func text(_ name: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        guard name.hasSuffix(".gz") else { return try String(contentsOf: url, encoding: .utf8) }
        var text = ""
        try LineReader(path: url.path).forEachLine { line, _ in
            text += String(decoding: line, as: UTF8.self)
            text += "\n"
        }
        return text
    }

    static func log(_ name: String) throws -> OracleLog {
        try OracleLogParser.parse(text(name), file: name)
    }

    static func variant(_ id: String) throws -> Variant {
        guard let v = Variants.named(id) else { throw OracleLogError(file: id, line: 0, message: "no variant \(id)") }
        return v
    }
}
