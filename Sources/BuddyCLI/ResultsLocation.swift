import BuddyProvenance
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Up-front checks of `--results` and `--repo` (issue 12, defects 3, 5 and 7), so a store that
/// cannot be written or a repository that does not exist is exit 2 naming the flag before
/// anything runs, rather than one "mkdir … Not a directory" per record and a late exit 3.
enum ResultsLocation {
    /// For `run`: `root` is a directory a file can be created in (probed: a temporary file is
    /// created and removed), or does not exist yet and its nearest existing ancestor is a
    /// writable directory.
    static func checkWritable(_ root: String, flag: String) throws {
        let bad = { (why: String) in BadInput("\(flag) \(root): \(why)") }
        guard !root.isEmpty else { throw BadInput("\(flag): empty path") }
        var info = stat()
        if lstat(root, &info) == 0, info.st_mode & S_IFMT == S_IFLNK, stat(root, &info) != 0 {
            throw bad("a dangling symlink; refusing to create a store through it")
        }
        if stat(root, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR else { throw bad("not a directory") }
            let probe = root + "/.buddylab-probe-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
            let fd = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw bad("cannot create files in it: \(errnoText())") }
            close(fd)
            unlink(probe)
            return
        }
        guard errno == ENOENT else { throw bad(errnoText()) }
        var ancestor = OutputTarget.parent(of: root)
        while stat(ancestor, &info) != 0 {
            guard errno == ENOENT else { throw bad("\(ancestor): \(errnoText())") }
            let up = OutputTarget.parent(of: ancestor)
            if up == ancestor { break }
            ancestor = up
        }
        guard info.st_mode & S_IFMT == S_IFDIR else { throw bad("\(ancestor) is not a directory") }
        guard access(ancestor, W_OK) == 0 else { throw bad("\(ancestor) is not writable") }
    }

    /// For readers (`report`, `history`, `compare`): a store that exists must be a directory
    /// (a missing one is simply empty, and the command says there are no stored results).
    static func checkReadable(_ root: String, flag: String) throws {
        var info = stat()
        guard stat(root, &info) == 0 else { return }
        guard info.st_mode & S_IFMT == S_IFDIR else { throw BadInput("\(flag) \(root): not a directory") }
    }

    /// An explicit `--repo` must be (inside) a git repository; without the flag, running
    /// outside any repository stays allowed (the revision is then null, with a note).
    static func checkRepository(_ repo: String?) throws {
        guard let repo else { return }
        do { _ = try GitRepository.discover(from: repo) } catch {
            throw BadInput("--repo \(repo): not a git repository (\(error.message))")
        }
    }
}
