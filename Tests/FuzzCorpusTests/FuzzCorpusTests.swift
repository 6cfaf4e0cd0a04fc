import BuddyFuzz
import Foundation
import Testing

/// Replays the committed fuzz corpus (`fuzz/corpus/TARGET/`: seeds and every past finding)
/// through the same functions libFuzzer drives (`make fuzz`), so a crash site the fuzzers found
/// stays fixed in the ordinary test run. Each target must accept its seed inputs of real data
/// and refuse its findings with a located message.
@Suite struct FuzzCorpusTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    static func inputs(_ target: FuzzTarget) throws -> [(String, [UInt8])] {
        let dir = root + "/fuzz/corpus/" + target.rawValue
        return try FileManager.default.contentsOfDirectory(atPath: dir).sorted().map { name in
            (name, [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir + "/" + name))))
        }
    }

    @Test(arguments: FuzzTarget.allCases) func corpusReplays(_ target: FuzzTarget) throws {
        let files = try Self.inputs(target)
        #expect(files.count >= 3, "\(target.rawValue): corpus too small")
        for (name, bytes) in files {
            let outcome = target.run(bytes)
            // seed-*: real inputs the target must accept; everything else must be refused.
            if name.hasPrefix("seed-") {
                #expect(outcome == .accepted, "\(target.rawValue)/\(name): \(outcome)")
            } else if case .refused(let why) = outcome {
                #expect(!why.isEmpty)
            } else {
                Issue.record("\(target.rawValue)/\(name): a finding that is accepted")
            }
        }
    }
}
