import Foundation
import Testing

@testable import BuddyProvenance

@Suite("First-parent history and revspecs")
struct HistoryTests {
    @Test func threeCommitsNewestFirst() throws {
        let fixture = try GitFixture.withCommits(["first", "second", "third"])
        defer { fixture.remove() }
        let repository = try GitRepository.discover(from: fixture.repo, ceiling: fixture.root)

        let history = try repository.firstParentHistory(limit: 10)
        #expect(history.map(\.summary) == ["third", "second", "first"])
        let expected = try fixture.git("log", "--format=%H")
        #expect(history.map(\.id) == expected.split(separator: "\n").map(String.init))
        #expect(history.allSatisfy { $0.short.count == 12 && $0.id.hasPrefix($0.short) })
        #expect(history.first?.time == "2024-03-03T12:00:00+01:00")

        #expect(try repository.firstParentHistory(limit: 2).map(\.summary) == ["third", "second"])
        #expect(try repository.firstParentHistory(from: "HEAD~1", limit: 5).map(\.summary) == ["second", "first"])
        #expect(try repository.firstParentHistory(limit: 0).isEmpty)
    }

    @Test func mergesFollowTheFirstParentOnly() throws {
        let fixture = try GitFixture.withCommits(["base"])
        defer { fixture.remove() }
        try fixture.git("checkout", "-q", "-b", "side")
        try fixture.write("side.txt", "side\n")
        try fixture.git("add", "side.txt")
        try fixture.git("commit", "-q", "-m", "on side")
        try fixture.git("checkout", "-q", "main")
        try fixture.write("main.txt", "main\n")
        try fixture.git("add", "main.txt")
        try fixture.git("commit", "-q", "-m", "on main")
        try fixture.git("merge", "-q", "--no-ff", "-m", "merge side", "side")

        let history = try GitRepository.discover(from: fixture.repo, ceiling: fixture.root)
          .firstParentHistory(limit: 10)
        #expect(history.map(\.summary) == ["merge side", "on main", "base"])
        let expected = try fixture.git("log", "--first-parent", "--format=%H")
        #expect(history.map(\.id) == expected.split(separator: "\n").map(String.init))
    }

    @Test func resolveRevspecs() throws {
        let fixture = try GitFixture.withCommits(["first", "second", "third"])
        defer { fixture.remove() }
        try fixture.git("tag", "v0.1", "HEAD~2")
        try fixture.git("tag", "-a", "-m", "annotated", "v0.2", "HEAD~1")
        let repository = try GitRepository.discover(from: fixture.repo, ceiling: fixture.root)

        let parent = try repository.resolve("HEAD~1")
        #expect(parent.id == (try fixture.git("rev-parse", "HEAD~1")))
        #expect(parent.summary == "second")
        #expect(try repository.resolve("v0.1").summary == "first")
        #expect(try repository.resolve("v0.2").id == parent.id, "annotated tags peel to their commit")
        let head = try fixture.git("rev-parse", "HEAD")
        #expect(try repository.resolve(String(head.prefix(7))).id == head)
        #expect(try repository.resolve("main").id == head)

        do throws(GitError) {
            _ = try repository.resolve("no-such-rev")
            Issue.record("an unknown revspec resolved")
        } catch {
            #expect(error.isNotFound)
            #expect(error.message.contains("no-such-rev"))
            #expect(error.function == "git_revparse_single")
        }
        #expect(throws: GitError.self) { try repository.resolve("HEAD~9") }
        #expect(throws: GitError.self) { try repository.firstParentHistory(from: "nope", limit: 3) }
    }
}
