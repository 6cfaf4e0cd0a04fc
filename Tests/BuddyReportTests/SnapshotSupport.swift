import Foundation
import Testing

/// Golden-file assertion in the style of argument-parser's `assertSnapshot`.
///
/// Goldens live in `Snapshots/` next to this file (found through `#filePath`, so no bundle
/// resources are needed). With `RECORD_SNAPSHOTS=1` in the environment the golden is rewritten
/// and the test passes; otherwise a mismatch fails and names the first differing line.
func assertSnapshot(_ actual: String, named name: String, filePath: String = #filePath,
                    sourceLocation: SourceLocation = #_sourceLocation) throws {
    let url = URL(fileURLWithPath: filePath).deletingLastPathComponent()
        .appendingPathComponent("Snapshots").appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(),
                                                withIntermediateDirectories: true)
        try Data(actual.utf8).write(to: url)
        return
    }
    guard let data = FileManager.default.contents(atPath: url.path) else {
        Issue.record("missing snapshot \(name); run with RECORD_SNAPSHOTS=1 to record it",
                     sourceLocation: sourceLocation)
        return
    }
    let expected = String(decoding: data, as: UTF8.self)
    guard expected != actual else { return }
    Issue.record(Comment(rawValue: firstDifference(expected: expected, actual: actual, name: name)),
                 sourceLocation: sourceLocation)
}

/// "Snapshots/x.md differs at line 12:\n  expected: …\n    actual: …".
func firstDifference(expected: String, actual: String, name: String) -> String {
    let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
    for i in 0..<max(e.count, a.count) {
        let el = i < e.count ? String(e[i]) : "<end of file>"
        let al = i < a.count ? String(a[i]) : "<end of output>"
        if el != al {
            return "Snapshots/\(name) differs at line \(i + 1) "
                + "(rerun with RECORD_SNAPSHOTS=1 to accept):\n  expected: \(el)\n    actual: \(al)"
        }
    }
    return "Snapshots/\(name) differs (line endings?)"
}

/// Reads a golden for tests that inspect its contents (e.g. the mermaid grammar check).
func loadSnapshot(_ name: String, filePath: String = #filePath) -> String? {
    let url = URL(fileURLWithPath: filePath).deletingLastPathComponent()
        .appendingPathComponent("Snapshots").appendingPathComponent(name)
    return FileManager.default.contents(atPath: url.path).map { String(decoding: $0, as: UTF8.self) }
}
