import BuddyCLI
import Foundation

/// A throw-away directory holding a git repository (driven with the git CLI, as a developer
/// would), a results store and output files, for running `buddylab` in-process against it.
///
/// git runs with `HOME` inside the workspace and `GIT_CONFIG_NOSYSTEM=1`, with the identity set
/// per command, so neither the user's nor the system's configuration leaks in. The repository is
/// the only thing under `repo/`: results and reports live beside it, so runs see a clean tree.
struct Workspace {
    struct Failure: Error, CustomStringConvertible { let description: String }

    let root: String
    var repo: String { root + "/repo" }
    var results: String { root + "/results" }

    init() throws {
        let base = FileManager.default.temporaryDirectory.path + "/buddylab-e2e-\(UUID().uuidString)"
        root = (base as NSString).resolvingSymlinksInPath
        try FileManager.default.createDirectory(atPath: root + "/repo", withIntermediateDirectories: true)
        try git("init", "-q")
    }

    /// Deletes the workspace. Retried because one full-suite run left a workspace behind (its
    /// store directories emptied, the rest intact) and the cause could not be reproduced; a
    /// leftover under the temporary directory is harmless, so it does not fail the test.
    func remove() {
        for _ in 0..<3 {
            if (try? FileManager.default.removeItem(atPath: root)) != nil { return }
        }
    }

    /// A path under the workspace (outside the repository).
    func path(_ name: String) -> String { root + "/" + name }

    /// Runs `git args…` in the repository and returns trimmed stdout.
    @discardableResult
    func git(_ args: String...) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        process.arguments = ["-c", "user.name=Buddy Lab", "-c", "user.email=lab@example.invalid",
                             "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"] + args
        process.currentDirectoryURL = URL(fileURLWithPath: repo)
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GIT_") }
        environment["HOME"] = root
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "git \(args.joined(separator: " ")): " + String(decoding: errData, as: UTF8.self))
        }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Writes `text` to `file` in the repository, commits it and returns the full commit id.
    @discardableResult
    func commit(_ file: String, _ text: String, message: String) throws -> String {
        try Data(text.utf8).write(to: URL(fileURLWithPath: repo + "/" + file))
        try git("add", file)
        try git("commit", "-q", "-m", message)
        return try git("rev-parse", "HEAD")
    }

    /// `buddylab run` of the repository's `file` at HEAD into the workspace's store, writing the
    /// result JSON to `json`; fails unless the run exits 0.
    @discardableResult
    func run(_ file: String, json: String, extra: [String] = []) throws -> CommandResult {
        let result = buddylab(["run", repo + "/" + file, "--results", results, "--repo", repo,
                               "--report", path(json + ".md"), "--json", path(json)] + extra)
        guard result.status == 0 else { throw Failure(description: "run exited \(result.status): \(result.stderr)") }
        return result
    }

    /// The result document written by `run(_:json:)`.
    func document(_ json: String) throws -> ResultFile {
        try ResultFile(path: path(json))
    }

    func read(_ name: String) throws -> String {
        try String(contentsOfFile: path(name), encoding: .utf8)
    }
}

/// What one in-process `buddylab` command line did.
struct CommandResult {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// Parses and runs `arguments` exactly as the executable would, without leaving the process.
func buddylab(_ arguments: [String]) -> CommandResult {
    let r = BuddyLab.executeCapturing(arguments)
    return CommandResult(status: r.status, stdout: r.stdout, stderr: r.stderr)
}
