import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension ResultStore {
    /// Stores every record of `records` with the guarantees of ``write(_:)`` — each published
    /// complete by `link(2)`, never over another file, durable once this returns — but syncing
    /// the file system twice for the whole batch instead of twice per record.
    ///
    /// Why: `buddylab run` stores one record per (variant, seed); the 18 bundled
    /// experiments are 694 records, and a `fsync` of each temporary file and of its directory
    /// (1,875 syncs with the directories `mkdir -p` creates) held the main thread for 0.7–0.9 s
    /// of a 5.5 s run, while the simulation cores waited (issue 25).
    ///
    /// Order, as in ``write(_:)``: (1) each record's bytes go to a new temporary file in its
    /// directory; (2) one `syncfs(2)` makes all of them durable; (3) each temporary is linked
    /// to its record's name; (4) a second `syncfs` makes the names durable; (5) the temporaries
    /// are removed. A crash leaves whole records or none, and at worst temporary files, which
    /// `buddylab` clears later (StaleTemporaries.swift). Without `syncfs` (not Linux), every
    /// temporary and every directory is `fsync`ed, as ``write(_:)`` does; a failing `syncfs`
    /// fails the records it was to make durable.
    ///
    /// The cost of the trade: `syncfs` also writes back other processes' dirty data on the same
    /// file system, so a batch can wait for it where 2 `fsync`s per record would not.
    ///
    /// - Returns: per record, in order, what ``write(_:)`` would have returned or thrown.
    public func write(batch records: [StoredRecord]) -> [Result<StoreWriteResult, ResultStoreError>] {
        var results = [Result<StoreWriteResult, ResultStoreError>?](repeating: nil, count: records.count)
        struct Pending { let index: Int; let data: Data; let directory: String; let temporary: String }
        var pending: [Pending] = []
        var madeDirectories = Set<String>()
        defer { for p in pending { _ = unlink(p.temporary) } }
        for (i, record) in records.enumerated() {
            let directory = directory(for: record)
            do throws(ResultStoreError) {
                let data = try Self.encode(record, directory: directory)
                if !madeDirectories.contains(directory) {
                    try Self.makeDirectories(directory)
                    madeDirectories.insert(directory)
                }
                let temporary = try Self.writeTemporary(data, in: directory,
                                                        baseName: Self.fileName(seed: record.run.seed, sequence: 0),
                                                        sync: false)
                pending.append(Pending(index: i, data: data, directory: directory, temporary: temporary))
            } catch { results[i] = .failure(error) }
        }
        if !pending.isEmpty {
            let failure: ResultStoreError?
            switch Self.syncFileSystem(of: root) {
            case .synced: failure = nil
            case .unavailable: failure = Self.syncEach(pending.map(\.temporary))
            case .failed(let error): failure = error
            }
            if let failure {
                for p in pending { results[p.index] = .failure(failure) }
                return results.map { $0! }
            }
        }
        var linkedInto = Set<String>()
        for p in pending {
            do throws(ResultStoreError) {
                let r = try publish(records[p.index], data: p.data, temporary: p.temporary, directory: p.directory)
                if r.created { linkedInto.insert(p.directory) }
                results[p.index] = .success(r)
            } catch { results[p.index] = .failure(error) }
        }
        if !linkedInto.isEmpty {
            var failure: ResultStoreError? = nil
            switch Self.syncFileSystem(of: root) {
            case .synced: break
            case .failed(let error): failure = error
            case .unavailable:
                for d in linkedInto.sorted() where failure == nil {
                    do throws(ResultStoreError) { try Self.syncDirectory(d) } catch { failure = error }
                }
            }
            if let failure {
                for p in pending where linkedInto.contains(p.directory) { results[p.index] = .failure(failure) }
            }
        }
        return results.map { $0! }
    }

    enum SyncOutcome { case synced, unavailable, failed(ResultStoreError) }

    /// `syncfs(2)` on the file system holding the directory `path`. glibc declares `syncfs`
    /// only under `_GNU_SOURCE`, which the Glibc module does not import, so it is looked up at
    /// run time, as main.swift does with `mallopt`; `.unavailable` without it (the caller then
    /// syncs file by file).
    static func syncFileSystem(of path: String) -> SyncOutcome {
        guard let syncfs = syncFS else { return .unavailable }
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd < 0 { return .failed(.system("open", path, errno)) }
        defer { _ = close(fd) }
        if syncfs(fd) != 0 { return .failed(.system("syncfs", path, errno)) }
        return .synced
    }

    /// `fsync` of each file (the fallback without `syncfs`): nil when all synced.
    static func syncEach(_ paths: [String]) -> ResultStoreError? {
        for path in paths {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            if fd < 0 { return .system("open", path, errno) }
            defer { _ = close(fd) }
            if fsync(fd) != 0 { return .system("fsync", path, errno) }
        }
        return nil
    }

    private typealias SyncFS = @convention(c) (Int32) -> Int32
    nonisolated(unsafe) private static let syncFS: SyncFS? = {
        #if os(Linux)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "syncfs") else { return nil }
        return unsafeBitCast(symbol, to: SyncFS.self)
        #else
        return nil
        #endif
    }()
}
