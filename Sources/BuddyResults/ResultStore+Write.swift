import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What ``ResultStore/write(_:)`` did.
public struct StoreWriteResult: Sendable, Equatable {
    /// The record's file: the new one, or the existing identical one.
    public let path: String
    /// False when an identical record was already stored (nothing was written).
    public let created: Bool
    /// 0 for `seed-<n>.json`, k for the `seed-<n>.<k>.json` that kept a differing rerun.
    public let sequence: Int

    public init(path: String, created: Bool, sequence: Int) {
        self.path = path
        self.created = created
        self.sequence = sequence
    }
}

extension ResultStore {
    /// Upper bound on `seed-<n>.<k>.json` sequences, so a broken file system cannot loop forever.
    static let maximumSequence = 100_000

    /// Stores `record` atomically, never overwriting or losing anything.
    ///
    /// The bytes go to a unique temporary file in the record's directory (`.seed-1.json.tmp-<pid>-<random>`,
    /// created with `O_EXCL`), which is `fsync`ed and then *hard-linked* to the final name.
    /// `link(2)` fails with `EEXIST` instead of replacing an existing file (which `rename(2)` would
    /// do), so a record is published complete, atomically and only if the name is free; the
    /// directory is `fsync`ed afterwards so the new name survives a crash.
    ///
    /// When the name is taken: if the stored record is the same record (byte-identical, or equal
    /// apart from `stored_at`, which is only the time of writing), the write is a no-op success.
    /// Otherwise (e.g. a rerun at the same revision whose timing differs) the old file stays and the
    /// new record takes the next free `seed-<n>.<k>.json`. Several processes writing at once each
    /// either land under their own name or find their identical twin: nothing is lost.
    ///
    /// On a file system without hard links (`EPERM`/`ENOTSUP` from `link`), the record is written
    /// with `open(O_CREAT|O_EXCL)` directly: still never overwriting, but a concurrent reader may
    /// briefly see a partial file (reported as a problem, not fatal).
    @discardableResult
    public func write(_ record: StoredRecord) throws(ResultStoreError) -> StoreWriteResult {
        let data = try Self.encode(record, directory: directory(for: record))
        let directory = directory(for: record)
        try Self.makeDirectories(directory)
        let temporary = try Self.writeTemporary(data, in: directory,
                                                baseName: Self.fileName(seed: record.run.seed, sequence: 0))
        defer { _ = unlink(temporary) }
        let result = try publish(record, data: data, temporary: temporary, directory: directory)
        if result.created { try Self.syncDirectory(directory) }
        return result
    }

    static func encode(_ record: StoredRecord, directory: String) throws(ResultStoreError) -> Data {
        do {
            return try ResultJSON.encode(record)
        } catch {
            throw ResultStoreError(operation: "encode", path: directory, code: 0, reason: String(describing: error))
        }
    }

    /// Links the complete, synced `temporary` to the first free `seed-<n>[.<k>].json` (or finds
    /// its identical twin there). The caller makes the new name durable (`syncDirectory`).
    func publish(_ record: StoredRecord, data: Data, temporary: String,
                 directory: String) throws(ResultStoreError) -> StoreWriteResult {
        let baseName = Self.fileName(seed: record.run.seed, sequence: 0)
        var linkSupported = true
        for sequence in 0...Self.maximumSequence {
            let target = directory + "/" + Self.fileName(seed: record.run.seed, sequence: sequence)
            let placed: Bool
            if linkSupported, let linked = try Self.publishByLink(temporary, to: target, supported: &linkSupported) {
                placed = linked
            } else {
                placed = try Self.publishExclusively(data, to: target)
            }
            if placed { return StoreWriteResult(path: target, created: true, sequence: sequence) }
            if Self.holdsSameRecord(target, data: data, record: record) {
                return StoreWriteResult(path: target, created: false, sequence: sequence)
            }
        }
        throw ResultStoreError(operation: "write", path: directory + "/" + baseName, code: 0,
                               reason: "more than \(Self.maximumSequence) differing records for one key")
    }

    /// `link(temporary, target)`: true when placed, false when `target` exists, nil (and
    /// `supported` cleared) when the file system has no hard links.
    private static func publishByLink(_ temporary: String, to target: String,
                                      supported: inout Bool) throws(ResultStoreError) -> Bool? {
        while true {
            if link(temporary, target) == 0 { return true }
            let code = errno
            switch code {
            case EINTR: continue
            case EEXIST: return false
            case EPERM, ENOTSUP, EOPNOTSUPP, EXDEV, EMLINK:
                supported = false
                return nil
            default: throw .system("link", target, code)
            }
        }
    }

    /// Fallback without hard links: create `target` with `O_EXCL` and write it in place.
    private static func publishExclusively(_ data: Data, to target: String) throws(ResultStoreError) -> Bool {
        let fd = open(target, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if fd < 0 {
            let code = errno
            if code == EEXIST { return false }
            throw .system("open", target, code)
        }
        defer { _ = close(fd) }
        try writeAll(data, to: fd, path: target)
        if fsync(fd) != 0 { throw .system("fsync", target, errno) }
        return true
    }

    /// True when `path` holds `record`: the same bytes, or the same record apart from `stored_at`.
    /// An unreadable or corrupt file is "different", so it is kept and the new record goes elsewhere.
    private static func holdsSameRecord(_ path: String, data: Data, record: StoredRecord) -> Bool {
        guard let existing = FileManager.default.contents(atPath: path) else { return false }
        if existing == data { return true }
        guard var stored = try? ResultJSON.decode(StoredRecord.self, from: existing) else { return false }
        stored.storedAt = record.storedAt
        return stored == record
    }

    /// Writes `data` to a new uniquely named file in `directory`, `fsync`s it and returns its path.
    /// `sync: false` leaves the sync to the caller (`write(batch:)` syncs all its temporaries at once).
    static func writeTemporary(_ data: Data, in directory: String, baseName: String,
                               sync: Bool = true) throws(ResultStoreError) -> String {
        var generator = SystemRandomNumberGenerator()
        while true {
            let token = String(generator.next() as UInt64, radix: 16)
            let path = "\(directory)/.\(baseName).tmp-\(getpid())-\(token)"
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if fd < 0 {
                let code = errno
                if code == EEXIST || code == EINTR { continue }
                throw .system("open", path, code)
            }
            do throws(ResultStoreError) {
                try writeAll(data, to: fd, path: path)
                if sync, fsync(fd) != 0 { throw .system("fsync", path, errno) }
            } catch {
                _ = close(fd)
                _ = unlink(path)
                throw error
            }
            if close(fd) != 0 {
                let code = errno
                _ = unlink(path)
                throw .system("close", path, code)
            }
            return path
        }
    }

    /// `write(2)` until every byte is out (short writes and `EINTR` are retried).
    private static func writeAll(_ data: Data, to fd: Int32, path: String) throws(ResultStoreError) {
        let failure: Int32 = data.withUnsafeBytes { raw -> Int32 in
            var offset = 0
            while offset < raw.count {
                guard let base = raw.baseAddress else { return EFAULT }
                let written = systemWrite(fd, base + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += written
            }
            return 0
        }
        if failure != 0 { throw .system("write", path, failure) }
    }

    /// `mkdir -p`, `fsync`ing the parent of every directory it creates so the new entries are
    /// durable before a record is linked into them.
    static func makeDirectories(_ path: String) throws(ResultStoreError) {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            let parent = current.isEmpty ? "/" : current
            current += "/" + component
            if mkdir(current, 0o755) == 0 {
                try syncDirectory(parent)
                continue
            }
            let code = errno
            guard code == EEXIST else { throw .system("mkdir", current, code) }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: current, isDirectory: &isDirectory),
                  isDirectory.boolValue else { throw .system("mkdir", current, ENOTDIR) }
        }
    }

    /// `fsync` on a directory, making entries created in it durable. File systems that cannot sync
    /// directories (`EINVAL`) are accepted.
    static func syncDirectory(_ path: String) throws(ResultStoreError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd < 0 { throw .system("open", path, errno) }
        defer { _ = close(fd) }
        if fsync(fd) != 0 {
            let code = errno
            if code != EINVAL && code != EROFS { throw .system("fsync", path, code) }
        }
    }
}

/// `write(2)`; at file scope because inside `ResultStore` the name `write` means the store's method.
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}
