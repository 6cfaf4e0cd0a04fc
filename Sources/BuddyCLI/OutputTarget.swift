import BuddyResults
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where one output (`--json`, `--report`, `report --out`, the default `reports/NAME.md`) goes,
/// decided and probed before anything runs, so a bad path is exit 2 with nothing written.
///
/// What a path means (issue 12, defect 1):
/// - `-`, `/dev/stdout`, `/dev/fd/1`, `/proc/self/fd/1`: standard output (the command's summary
///   then goes to stderr, so stdout carries exactly the document: `--json - | jq`).
///   `/dev/stderr` and fd 2 likewise go to standard error.
/// - an existing character device or FIFO, or any other `/dev/fd/N` / `/proc/self/fd/N`: written
///   through with `open(2)` + `write(2)`, as a shell's `>` would. Renaming a file over it would
///   turn `/dev/null` into a regular file (as root) and leave a FIFO's reader waiting forever.
///   A device that refuses even an empty write (`/dev/full`: ENOSPC) is refused up front.
/// - a regular file, existing or not: replaced atomically (a temporary file beside it, then
///   `rename(2)`). A symlink is resolved first and the temporary file goes beside the resolved
///   target, so the link stays a link and its target gets the new content.
/// - a directory, block device or socket: refused (exit 2).
/// - the same file as an experiment input or as another output: refused (exit 2).
///
/// Probing a regular-file target creates and removes a temporary file with the name the real
/// write will use (so `File name too long` or a read-only directory shows up now, not after the
/// run) and opens an existing target for writing without truncating it (an immutable or
/// append-only file refuses that with EPERM, as it would refuse the final rename).
struct OutputTarget {
    enum Destination: Equatable {
        case standardOutput
        case standardError
        /// Written through by `open(2)`; the path as given.
        case stream(String)
        /// Replaced atomically; the path with every symlink resolved.
        case file(String)
    }

    /// The flag that named the path (`--json`), or a phrase for a default (`report path`).
    let flag: String
    /// The path as given.
    let path: String
    let destination: Destination
    /// Device and inode of the target when it exists (to catch an output equal to an input).
    let identity: FileIdentity?

    /// Resolves and probes `path`; throws `BadInput` naming `flag` when it cannot be written.
    /// - Parameter inputs: files the command reads (experiment files); an output equal to one is refused.
    static func prepare(_ path: String, flag: String, inputs: [String] = []) throws -> OutputTarget {
        let bad = { (why: String) in BadInput("\(flag) \(path): \(why)") }
        guard !path.isEmpty else { throw BadInput("\(flag): empty path") }
        if let stream = standardStream(path) {
            return OutputTarget(flag: flag, path: path, destination: stream, identity: nil)
        }
        if path.hasPrefix("/dev/fd/") || path.hasPrefix("/proc/self/fd/") {
            guard access(path, W_OK) == 0 else { throw bad("not writable: \(errnoText())") }
            return OutputTarget(flag: flag, path: path, destination: .stream(path), identity: FileIdentity(path))
        }
        let resolved: String
        do { resolved = try resolveSymlinks(path) } catch let e as ResolveFailure { throw bad(e.reason) }
        let target: OutputTarget
        var info = stat()
        if stat(resolved, &info) != 0 {
            let code = errno
            guard code == ENOENT else { throw bad(String(cString: strerror(code))) }
            try probeNewFile(resolved, bad: bad)
            target = OutputTarget(flag: flag, path: path, destination: .file(resolved), identity: nil)
        } else {
            let identity = FileIdentity(info)
            switch info.st_mode & S_IFMT {
            case S_IFREG:
                try probeNewFile(resolved, bad: bad)
                try probeExisting(resolved, bad: bad)
                target = OutputTarget(flag: flag, path: path, destination: .file(resolved), identity: identity)
            case S_IFCHR:
                try probeDevice(path, bad: bad)
                target = OutputTarget(flag: flag, path: path, destination: .stream(path), identity: identity)
            case S_IFIFO:
                guard access(path, W_OK) == 0 else { throw bad("FIFO not writable: \(errnoText())") }
                target = OutputTarget(flag: flag, path: path, destination: .stream(path), identity: identity)
            case S_IFDIR: throw bad("is a directory")
            case S_IFBLK: throw bad("is a block device; refusing to write over it")
            case S_IFSOCK: throw bad("is a socket; only files, character devices and FIFOs can be written")
            default: throw bad("is not a regular file, character device or FIFO")
            }
        }
        for input in inputs {
            if let id = target.identity, id == FileIdentity(input) {
                throw bad("is the input file \(input); refusing to overwrite it")
            }
        }
        return target
    }

    /// Refuses two outputs of one command that land in the same place (the second would
    /// silently replace the first), including both on standard output.
    static func checkDistinct(_ targets: [OutputTarget]) throws {
        for (i, a) in targets.enumerated() {
            for b in targets[..<i] where a.sameDestination(as: b) {
                throw BadInput("\(a.flag) \(a.path): same destination as \(b.flag) \(b.path)")
            }
        }
    }

    private func sameDestination(as other: OutputTarget) -> Bool {
        if destination == other.destination { return true }
        if let a = identity, let b = other.identity { return a == b }
        return false
    }

    /// Whether this output uses standard output (then the command's own text goes to stderr).
    var isStandardOutput: Bool { destination == .standardOutput }

    /// Writes `data`. A failure here is an I/O error (exit 3): the target passed its probe.
    func write(_ data: Data) throws {
        switch destination {
        case .standardOutput: Console.out(String(decoding: data, as: UTF8.self))
        case .standardError: Console.err(String(decoding: data, as: UTF8.self))
        case .file(let resolved): try ResultStore.replaceAtomically(data, at: resolved)
        case .stream(let target): try Self.writeThrough(data, to: target)
        }
    }

    func write(_ text: String) throws { try write(Data(text.utf8)) }

    // MARK: - Classification

    private static func standardStream(_ path: String) -> Destination? {
        switch path {
        case "-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1": return .standardOutput
        case "/dev/stderr", "/dev/fd/2", "/proc/self/fd/2": return .standardError
        default: return nil
        }
    }

    struct ResolveFailure: Error { let reason: String }

    /// `path` with every symlink along it resolved (the final component too, even when its
    /// target does not exist yet: a dangling link is created through). Relative paths stay
    /// relative to the working directory.
    static func resolveSymlinks(_ path: String) throws -> String {
        var current = path
        for _ in 0..<40 {
            var info = stat()
            guard lstat(current, &info) == 0, info.st_mode & S_IFMT == S_IFLNK else {
                return canonicalParent(current)
            }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let count = readlink(current, &buffer, buffer.count - 1)
            guard count >= 0 else { throw ResolveFailure(reason: "cannot read the symlink: \(errnoText())") }
            let target = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = target.hasPrefix("/") ? target : parent(of: current) + "/" + target
        }
        throw ResolveFailure(reason: "too many levels of symbolic links")
    }

    /// The parent directory canonicalised (`realpath`) when it exists, plus the last component.
    private static func canonicalParent(_ path: String) -> String {
        let name = (path as NSString).lastPathComponent
        guard let real = realpath(parent(of: path), nil) else { return path }
        defer { free(real) }
        let directory = String(cString: real)
        return directory == "/" ? "/" + name : directory + "/" + name
    }

    static func parent(of path: String) -> String { PathText.parent(of: path) }

    // MARK: - Probes

    /// Creates and removes a temporary file named as the atomic write will name its own
    /// (`.NAME.tmp-PID-<16 hex>`) beside `resolved`. When the directory does not exist yet, the
    /// nearest existing ancestor must be a writable directory and the names must fit NAME_MAX.
    private static func probeNewFile(_ resolved: String, bad: (String) -> BadInput) throws {
        let directory = parent(of: resolved)
        let name = (resolved as NSString).lastPathComponent
        let probe = "\(directory)/.\(name).tmp-\(getpid())-\(String(repeating: "f", count: 16))"
        var info = stat()
        if stat(directory, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR else { throw bad("\(directory) is not a directory") }
            let fd = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw bad("cannot create a file in \(directory): \(errnoText())") }
            close(fd)
            unlink(probe)
            return
        }
        // The directories will be created: check what can be checked without creating them.
        let maxName = 255
        for component in probe.split(separator: "/") where component.utf8.count > maxName {
            throw bad("file name too long (\(component.utf8.count) bytes with the temporary suffix; at most \(maxName))")
        }
        var ancestor = directory
        while stat(ancestor, &info) != 0 {
            let up = parent(of: ancestor)
            if up == ancestor { break }
            ancestor = up
        }
        guard info.st_mode & S_IFMT == S_IFDIR else { throw bad("\(ancestor) is not a directory") }
        guard access(ancestor, W_OK) == 0 else { throw bad("\(ancestor) is not writable") }
    }

    /// An existing regular file: opening it for writing (no truncation, nothing changes) fails
    /// with EPERM when it is immutable or append-only, which would also make the rename fail.
    private static func probeExisting(_ resolved: String, bad: (String) -> BadInput) throws {
        let fd = open(resolved, O_WRONLY | O_CLOEXEC | O_NONBLOCK)
        if fd >= 0 { close(fd); return }
        if errno == EPERM { throw bad("cannot be replaced: \(errnoText()) (immutable or append-only?)") }
    }

    /// A character device: open it and write zero bytes. `/dev/null` and terminals accept that;
    /// `/dev/full` answers ENOSPC, which every real write would get too.
    private static func probeDevice(_ path: String, bad: (String) -> BadInput) throws {
        let fd = open(path, O_WRONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw bad("cannot open the device for writing: \(errnoText())") }
        defer { close(fd) }
        var byte: UInt8 = 0
        if systemWrite(fd, &byte, 0) < 0 { throw bad("the device refuses writes: \(errnoText())") }
    }

    // MARK: - Writing through

    private static func writeThrough(_ data: Data, to path: String) throws {
        let fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC)
        guard fd >= 0 else { throw WriteFailure(path: path, reason: errnoText()) }
        defer { close(fd) }
        let failure: Int32 = data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                guard let base = raw.baseAddress else { return EFAULT }
                let n = systemWrite(fd, base + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += n
            }
            return 0
        }
        if failure != 0 { throw WriteFailure(path: path, reason: String(cString: strerror(failure))) }
    }

    struct WriteFailure: Error, CustomStringConvertible {
        let path: String
        let reason: String
        var description: String { "write \(path): \(reason)" }
    }
}

/// Device and inode: two paths name the same file exactly when these agree.
struct FileIdentity: Equatable {
    let device: UInt64
    let inode: UInt64

    init(_ info: stat) {
        device = UInt64(info.st_dev); inode = UInt64(info.st_ino)
    }

    /// The identity of the file at `path` (symlinks followed), nil when it does not exist.
    init?(_ path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        self.init(info)
    }
}

func errnoText() -> String { String(cString: strerror(errno)) }

/// `write(2)`, named apart from the `write` methods above.
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.write(fd, buffer, count)
    #elseif canImport(Musl)
    return Musl.write(fd, buffer, count)
    #else
    return Darwin.write(fd, buffer, count)
    #endif
}
