#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Reads a small input file whole (a `/proc` copy, an oracle log, a command file) with the two
/// limits every whole-file read needs: only a regular file (a FIFO without a writer blocks
/// `open` forever, `/dev/zero` never ends) and at most `limit` bytes (checked on the size
/// `fstat` reports and again while reading, as a file can grow).
public enum BoundedFile {
    /// Default cap for whole-file inputs: 1 GiB. An oracle log holds a state per command (a
    /// 512 MiB zone's state is ~20 KB, so a 10,000-command random batch is ~200 MB); /proc
    /// copies use their own 16 MiB cap.
    public static let defaultLimit = 1 << 30

    /// The file's bytes, or a message saying why not (the caller adds the location).
    public static func read(path: String, limit: Int = defaultLimit) -> Result<[UInt8], FileProblem> {
        if let problem = regularFileProblem(path) { return .failure(problem) }
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return .failure(FileProblem(message: "cannot open: \(errorText())")) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG else {
            return .failure(FileProblem(message: "not a regular file"))
        }
        guard Int(st.st_size) <= limit else { return .failure(tooBig(limit)) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(st.st_size))
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(FileProblem(message: "cannot read: \(errorText())"))
            }
            if n == 0 { return .success(bytes) }
            guard bytes.count + n <= limit else { return .failure(tooBig(limit)) }
            bytes.append(contentsOf: chunk[0..<n])
        }
    }

    /// Why `path` is not a regular file (nil when it is one). `stat` follows symlinks and never
    /// blocks, unlike `open` on a FIFO.
    public static func regularFileProblem(_ path: String) -> FileProblem? {
        guard !path.isEmpty else { return FileProblem(message: "empty path") }
        var st = stat()
        guard stat(path, &st) == 0 else { return FileProblem(message: "cannot open: \(errorText())") }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFIFO: return FileProblem(message: "a FIFO, not a regular file")
        case S_IFCHR: return FileProblem(message: "a character device, not a regular file")
        case S_IFBLK: return FileProblem(message: "a block device, not a regular file")
        case S_IFDIR: return FileProblem(message: "a directory, not a regular file")
        default: return FileProblem(message: "not a regular file")
        }
    }

    static func tooBig(_ limit: Int) -> FileProblem {
        FileProblem(message: "larger than \(limit >> 20) MiB (the limit for this kind of input)")
    }

    static func errorText() -> String { String(cString: strerror(errno)) }
}

/// Why a file cannot be read.
public struct FileProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
