/// Path arithmetic on strings, without Foundation's `NSString.deletingLastPathComponent`, which
/// traps on a one-character relative path ("r") in this toolchain's swift-corelibs-foundation
/// (found by `buddylab run … --results r`).
enum PathText {
    /// The directory part of `path`: "a/b" → "a", "r" → ".", "/r" → "/", "a/b/" → "a";
    /// "." when there is none.
    static func parent(of path: String) -> String {
        var p = Substring(path)
        while p.count > 1, p.hasSuffix("/") { p = p.dropLast() }
        guard let slash = p.lastIndex(of: "/") else { return "." }
        if slash == p.startIndex { return "/" }
        var dir = p[..<slash]
        while dir.count > 1, dir.hasSuffix("/") { dir = dir.dropLast() }
        return String(dir)
    }
}
