import Foundation

/// A throw-away repository under a fresh temporary directory, driven with the git CLI.
///
/// `root` is also the discovery ceiling, so libgit2 never walks up into an enclosing checkout.
/// git runs with `HOME` pointing at `root` and `GIT_CONFIG_NOSYSTEM=1`, so neither the user's nor
/// the system's configuration leaks in; names and dates are fixed so commits are reproducible.
struct GitFixture {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let root: String
    let repo: String

    init() throws {
        let base = FileManager.default.temporaryDirectory.path
        let root = "\(base)/buddylab-git-\(UUID().uuidString)"
        self.root = (root as NSString).resolvingSymlinksInPath
        self.repo = self.root + "/repo"
        try FileManager.default.createDirectory(atPath: repo, withIntermediateDirectories: true)
    }

    /// Deletes everything the fixture created.
    func remove() {
        try? FileManager.default.removeItem(atPath: root)
    }

    /// Runs `git args…` in `directory` (default: the repository) and returns trimmed stdout.
    @discardableResult
    func git(_ args: String..., in directory: String? = nil, date: String = "2024-03-01T12:00:00+01:00") throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        process.arguments = ["-c", "user.name=Buddy Lab", "-c", "user.email=lab@example.invalid",
                             "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false",
                             "-c", "tag.gpgsign=false", "-c", "protocol.file.allow=always"] + args
        process.currentDirectoryURL = URL(fileURLWithPath: directory ?? repo)
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GIT_") }
        environment["HOME"] = root
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        environment["GIT_AUTHOR_DATE"] = date
        environment["GIT_COMMITTER_DATE"] = date
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "git \(args.joined(separator: " ")) failed: "
              + String(decoding: errData, as: UTF8.self))
        }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Writes `text` to `path` relative to the repository, creating directories as needed.
    func write(_ path: String, _ text: String) throws {
        let full = repo + "/" + path
        let dir = (full as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: full))
    }

    /// `git init` + one committed file per message, in order.
    static func withCommits(_ messages: [String]) throws -> GitFixture {
        let fixture = try GitFixture()
        try fixture.git("init", "-q")
        for (index, message) in messages.enumerated() {
            try fixture.write("file.txt", "content \(index)\n")
            try fixture.git("add", "file.txt")
            try fixture.git("commit", "-q", "-m", message, date: "2024-03-0\(index + 1)T12:00:00+01:00")
        }
        return fixture
    }
}
