import Foundation

/// Write a file atomically: a unique temporary file in the same directory, fsync, rename over
/// the target. Readers see the old content or the new, never a half-written file.
func writeAtomically(_ text: String, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    let dir = url.deletingLastPathComponent()
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
    let fd = open(tmp.path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
    guard fd >= 0 else { throw BadInput("cannot write \(path): \(String(cString: strerror(errno)))") }
    let bytes = Array(text.utf8)
    var written = 0
    while written < bytes.count {
        let n = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        if n <= 0 { close(fd); unlink(tmp.path); throw BadInput("cannot write \(path)") }
        written += n
    }
    fsync(fd); close(fd)
    guard rename(tmp.path, path) == 0 else {
        unlink(tmp.path); throw BadInput("cannot rename into \(path): \(String(cString: strerror(errno)))")
    }
}
