import Crypto
import Foundation

/// A user's kernel patch (`--kernel-patch FILE`, `--kernels 6.1+FILE`): a unified diff applied
/// with `patch -p1` semantics to the oracle kernel's tree after buddylab's own patches
/// (scripts/oracle/build-patched), built into its own cached kernel.
///
/// Loading checks only the diff's shape — files named, hunk headers whose line counts match
/// their bodies — so a truncated or hand-edited patch is refused with FILE:LINE before anything
/// runs; whether it applies to Debian's tree is `KernelPatch.checkApplies` (a dry run).
public struct KernelPatch: Sendable, Equatable {
    /// The path as given.
    public let path: String
    /// SHA-256 of the file's bytes (hex): the patched kernel's cache key with the base key.
    public let sha256: String
    /// Column name: the file name without `.patch` / `.diff`.
    public let name: String
    /// Files the patch touches, one path component stripped (`-p1`), in order of appearance.
    public let files: [String]
    /// Number of hunks.
    public let hunks: Int

    /// A patch that cannot be used, with the position: `FILE:LINE:COLUMN: message`.
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
        public init(message: String) { self.message = message }
    }

    /// Reads and checks `path`.
    public static func load(_ path: String) throws(Problem) -> KernelPatch {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue,
              let data = FileManager.default.contents(atPath: path) else {
            throw Problem(message: "--kernel-patch \(path): not a readable file")
        }
        return try parse(data, path: path)
    }

    /// Checks the text of a patch; `path` names it in messages.
    public static func parse(_ data: Data, path: String) throws(Problem) -> KernelPatch {
        let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        var lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        // The empty piece after the final newline is the end of the file, not an empty line.
        if lines.last?.isEmpty == true { lines.removeLast() }
        func fail(_ line: Int, _ msg: String) -> Problem { Problem(message: "\(path):\(line + 1):1: \(msg)") }
        var files: [String] = [], hunks = 0, i = 0
        while i < lines.count {
            let line = lines[i]
            guard line.hasPrefix("--- "), i + 1 < lines.count, lines[i + 1].hasPrefix("+++ ") else {
                if line.hasPrefix("@@ ") { throw fail(i, "hunk without a '--- a/FILE' / '+++ b/FILE' header before it") }
                i += 1; continue
            }
            let old = pathField(line), new = pathField(lines[i + 1])
            let named = new == "/dev/null" ? old : new
            guard named != "/dev/null", let slash = named.firstIndex(of: "/") else {
                throw fail(i + 1, "'\(named)' has no leading directory to strip: buddylab applies patches with -p1 (a/FILE, b/FILE), as git diff writes them")
            }
            let file = String(named[named.index(after: slash)...])
            guard !file.isEmpty, !file.split(separator: "/").contains("..") else { throw fail(i + 1, "'\(named)' is not a path inside the kernel tree") }
            if !files.contains(file) { files.append(file) }
            i += 2
            guard i < lines.count, lines[i].hasPrefix("@@ ") else { throw fail(i, "no hunk ('@@ -L,N +L,N @@') after the header of \(file)") }
            while i < lines.count, lines[i].hasPrefix("@@ ") {
                guard let (oldCount, newCount) = hunkCounts(lines[i]) else { throw fail(i, "malformed hunk header '\(lines[i])'") }
                let header = i
                var o = 0, n = 0
                i += 1
                while i < lines.count, o < oldCount || n < newCount {
                    switch lines[i].first {
                    case " ": o += 1; n += 1
                    case "-": o += 1
                    case "+": n += 1
                    case "\\": break
                    case nil: o += 1; n += 1   // an empty context line whose space an editor stripped (patch accepts it)
                    default: throw fail(i, "line inside a hunk of \(file) starts with neither ' ', '-', '+' nor '\\' (the hunk at line \(header + 1) wants \(oldCount) old and \(newCount) new lines)")
                    }
                    i += 1
                }
                guard o == oldCount, n == newCount else {
                    throw fail(header, "hunk of \(file) wants \(oldCount) old and \(newCount) new lines, the file ends after \(o) and \(n) (truncated patch?)")
                }
                while i < lines.count, lines[i].hasPrefix("\\") { i += 1 }
                hunks += 1
            }
        }
        guard !files.isEmpty else { throw Problem(message: "\(path):1:1: not a unified diff: no '--- a/FILE' / '+++ b/FILE' / '@@' hunk in it") }
        var name = URL(fileURLWithPath: path).lastPathComponent
        for ext in [".patch", ".diff"] where name.hasSuffix(ext) && name.count > ext.count { name.removeLast(ext.count) }
        return KernelPatch(path: path, sha256: digest, name: name, files: files, hunks: hunks)
    }

    /// `--- a/mm/page_alloc.c<TAB>date` → `a/mm/page_alloc.c`.
    static func pathField(_ line: Substring) -> String {
        let rest = line.dropFirst(4)
        return String(rest.prefix { $0 != "\t" }.trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "")
    }

    /// `@@ -1054,7 +1054,7 @@ …` → (7, 7); a count left out is 1.
    static func hunkCounts(_ line: Substring) -> (Int, Int)? {
        let parts = line.split(separator: " ")
        guard parts.count >= 4, parts[0] == "@@", parts[3] == "@@", parts[1].hasPrefix("-"), parts[2].hasPrefix("+") else { return nil }
        func count(_ s: Substring) -> Int? {
            let f = s.dropFirst().split(separator: ",", omittingEmptySubsequences: false)
            guard (1...2).contains(f.count), f.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }) else { return nil }
            return f.count == 2 ? Int(f[1]) : 1
        }
        guard let o = count(parts[1]), let n = count(parts[2]) else { return nil }
        return (o, n)
    }
}
