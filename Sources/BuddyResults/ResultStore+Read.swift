import Foundation

/// A file in the store that is not a usable record, and why. Reading reports these and goes on:
/// one corrupt or stray file must not hide every other result.
public struct StoreProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public let path: String
    public let reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}

extension ResultStore {
    /// Directory levels of the layout: name / experiment sha / revision / variant (a sweep's
    /// records sit one level deeper, in `point-<index>`, see `isPointDirectory`).
    static let layoutDepth = 4

    /// `point-<index>` below a variant directory: the runs of one sweep point.
    static func isPointDirectory(_ name: Substring) -> Bool {
        name.hasPrefix("point-") && name.count > 6 && name.dropFirst(6).allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// Every record under the store (or under one experiment's directory), with the problems met.
    ///
    /// Order is deterministic: by directory, then seed, then sequence (`seed-2.json` before
    /// `seed-10.json`, `seed-1.json` before `seed-1.1.json`), so reports never depend on the order
    /// the file system lists entries in. A missing root is simply an empty store.
    ///
    /// Problems (never fatal): a file that is not named `seed-<n>[.<k>].json` (foreign file), a
    /// temporary file left by an interrupted write, a record that does not decode (corrupt), a
    /// record of another schema, with a duplicate JSON key or an impossible value (refused,
    /// `RecordChecks`), and a record whose content belongs in another directory (misplaced, e.g.
    /// copied by hand).
    public func records(experiment name: String? = nil) -> (records: [StoredRecord], problems: [StoreProblem]) {
        let top = name.map { Self.pathComponent($0) }
        let start = top.map { root + "/" + $0 } ?? root
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: start, isDirectory: &isDirectory) else { return ([], []) }
        guard isDirectory.boolValue else {
            return ([], [StoreProblem(path: start, reason: "not a directory")])
        }
        var problems: [StoreProblem] = []
        var files: [String] = []
        collectFiles(relative: top, into: &files, problems: &problems)

        var located: [FileKey] = []
        for relative in files {
            let path = root + "/" + relative
            let directory = relative.split(separator: "/").dropLast().joined(separator: "/")
            let fileName = String(relative.split(separator: "/").last ?? "")
            if fileName.hasPrefix("."), fileName.contains(".tmp-") {
                problems.append(StoreProblem(path: path,
                                             reason: "temporary file of an interrupted or concurrent write"))
            } else if let parsed = Self.parseFileName(fileName) {
                located.append(FileKey(directory: directory, seed: parsed.seed, sequence: parsed.sequence,
                                       name: fileName))
            } else {
                problems.append(StoreProblem(path: path, reason: "foreign file (not a seed-<n>.json record)"))
            }
        }
        located.sort()

        var records: [StoredRecord] = []
        for key in located {
            switch load(key) {
            case .success(let record):
                if let name, record.experiment.name != name { continue }
                records.append(record)
            case .failure(let problem):
                problems.append(problem)
            }
        }
        problems.sort { $0.path < $1.path }
        return (records, problems)
    }

    /// Decodes one record file and checks that it sits where its content says it belongs.
    ///
    /// Locations are compared as root-relative paths built by the store itself, never through path
    /// normalisation, so `//`, `./` or a trailing slash in the root cannot cause false alarms.
    private func load(_ key: FileKey) -> Result<StoredRecord, StoreProblem> {
        let path = root + "/" + key.directory + "/" + key.name
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(StoreProblem(path: path, reason: "unreadable file"))
        }
        if let why = RecordChecks.problemBeforeDecoding(data) {
            return .failure(StoreProblem(path: path, reason: "refused record: \(why)"))
        }
        let record: StoredRecord
        do {
            record = try ResultJSON.decode(StoredRecord.self, from: data)
        } catch {
            return .failure(StoreProblem(path: path, reason: "corrupt record: \(Self.describe(error))"))
        }
        if let why = RecordChecks.problem(in: record) {
            return .failure(StoreProblem(path: path, reason: "refused record: \(why)"))
        }
        let expected = Self.relativeDirectory(for: record)
        guard expected == key.directory, record.run.seed == key.seed else {
            let home = root + "/" + expected + "/" + Self.fileName(seed: record.run.seed, sequence: 0)
            return .failure(StoreProblem(path: path, reason: "misplaced record: its content belongs in \(home)"))
        }
        return .success(record)
    }

    /// Depth-first listing of regular files as root-relative paths, starting at `relative` (nil:
    /// the root); unreadable directories become problems. Directories deeper than the layout's four
    /// levels (five for a sweep point's `point-<index>`) are reported, not entered, so a symlink
    /// loop cannot recurse forever.
    private func collectFiles(relative: String?, into files: inout [String], problems: inout [StoreProblem]) {
        let directory = relative.map { root + "/" + $0 } ?? root
        let depth = relative.map { $0.split(separator: "/").count } ?? 0
        let isPoint = depth == Self.layoutDepth + 1
            && Self.isPointDirectory(relative?.split(separator: "/").last ?? "")
        guard depth <= Self.layoutDepth || isPoint else {
            problems.append(StoreProblem(path: directory, reason: "directory nested deeper than the store layout"))
            return
        }
        let entries: [String]
        do {
            entries = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            problems.append(StoreProblem(path: directory,
                                         reason: "unreadable directory: \(error.localizedDescription)"))
            return
        }
        for entry in entries.sorted() {
            let child = relative.map { $0 + "/" + entry } ?? entry
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root + "/" + child, isDirectory: &isDirectory) else {
                problems.append(StoreProblem(path: root + "/" + child, reason: "dangling entry"))
                continue
            }
            if isDirectory.boolValue {
                collectFiles(relative: child, into: &files, problems: &problems)
            } else {
                files.append(child)
            }
        }
    }

    /// A short, single-line account of a decoding failure (`DecodingError`'s own text is long).
    static func describe(_ error: any Error) -> String {
        guard let decoding = error as? DecodingError else { return String(describing: error) }
        let context: DecodingError.Context
        switch decoding {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .keyNotFound(_, let c), .dataCorrupted(let c):
            context = c
        @unknown default:
            return String(describing: error)
        }
        let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            .joined(separator: ".")
        return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
    }
}

/// A record file (root-relative directory and name); sorts by directory, then seed and sequence
/// numerically.
private struct FileKey: Comparable {
    let directory: String
    let seed: UInt64
    let sequence: Int
    let name: String

    static func < (a: FileKey, b: FileKey) -> Bool {
        if a.directory != b.directory { return a.directory < b.directory }
        if a.seed != b.seed { return a.seed < b.seed }
        if a.sequence != b.sequence { return a.sequence < b.sequence }
        return a.name < b.name
    }
}
