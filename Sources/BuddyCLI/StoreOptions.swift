import ArgumentParser
import BuddyProvenance
import BuddyResults
import Foundation

/// Where results live and which repository revisions refer to.
struct StoreOptions: ParsableArguments {
    @Option(name: .customLong("results"), help: "Results store directory (default: results/ at the repository root).")
    var results: String?
    @Option(help: "Repository to read revisions from (default: discovered from the working directory).")
    var repo: String?
    @Option(help: "Output format: markdown or text (report also: mmtests, compare-kernels.sh's layout).")
    var format: String = "markdown"

    func validate() throws {
        guard ["markdown", "text", "mmtests"].contains(format) else {
            throw ValidationError("--format must be markdown, text or mmtests, not '\(format)'")
        }
        // A --results that is a file and a --repo that is no repository are bad input at once
        // (ResultsLocation), not "no stored results" later or a silently revision-less report.
        do {
            if let r = results { try ResultsLocation.checkReadable(r, flag: "--results") }
            try ResultsLocation.checkRepository(repo)
        } catch let e as BadInput { throw ValidationError(e.message) }
    }

    func repository() throws -> GitRepository {
        let path = repo ?? FileManager.default.currentDirectoryPath
        do { return try GitRepository.discover(from: path) } catch {
            throw BadInput("--repo \(path): \(String(describing: error))")
        }
    }

    func store(root: String?) -> ResultStore {
        if let r = results { return ResultStore(root: r) }
        return ResultStore(repositoryRoot: root ?? FileManager.default.currentDirectoryPath)
    }

    func reportProblems(_ problems: [StoreProblem]) {
        for p in problems { Console.err("buddylab: warning: \(p)\n") }
    }
}
