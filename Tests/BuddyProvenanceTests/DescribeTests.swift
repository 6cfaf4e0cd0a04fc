import Foundation
import Testing

@testable import BuddyProvenance

@Suite("git describe --tags --always --dirty")
struct DescribeTests {
    @Test func lightweightTagThenDistance() throws {
        let fixture = try GitFixture.withCommits(["first", "second"])
        defer { fixture.remove() }
        let repository = try GitRepository.discover(from: fixture.repo, ceiling: fixture.root)

        let untagged = try repository.revision()
        #expect(untagged.describe == (try fixture.git("describe", "--tags", "--always", "--dirty")))
        #expect(untagged.commit.hasPrefix(untagged.describe), "--always falls back to the abbreviated id")

        try fixture.git("tag", "v0.1")
        #expect(try repository.revision().describe == "v0.1")

        try fixture.write("file.txt", "third\n")
        try fixture.git("commit", "-q", "-am", "third")
        let next = try repository.revision()
        let expected = try fixture.git("describe", "--tags", "--always", "--dirty")
        #expect(next.describe == expected)
        #expect(next.describe.hasPrefix("v0.1-1-g"))
        #expect(next.commit.hasPrefix(String(next.describe.dropFirst("v0.1-1-g".count))))

        try fixture.write("file.txt", "edited\n")
        #expect(try repository.revision().describe == expected + "-dirty")
    }

    @Test func annotatedTagsAreUsedToo() throws {
        let fixture = try GitFixture.withCommits(["first"])
        defer { fixture.remove() }
        try fixture.git("tag", "-a", "-m", "release", "v1.0")
        let repository = try GitRepository.discover(from: fixture.repo, ceiling: fixture.root)
        #expect(try repository.revision().describe == "v1.0")
    }

    @Test func shallowCloneFallsBackLikeGit() throws {
        let fixture = try GitFixture.withCommits(["one", "two", "three", "four"])
        defer { fixture.remove() }
        try fixture.git("tag", "v0.1", "HEAD~3")
        let clone = fixture.root + "/shallow"
        try fixture.git("clone", "-q", "--depth", "2", "file://" + fixture.repo, clone, in: fixture.root)

        let repository = try GitRepository.discover(from: clone, ceiling: fixture.root)
        #expect(repository.isShallow)
        let revision = try repository.revision()
        #expect(revision.commit == (try fixture.git("rev-parse", "HEAD", in: clone)))
        #expect(revision.describe == (try fixture.git("describe", "--tags", "--always", "--dirty", in: clone)))

        let history = try repository.firstParentHistory(limit: 10)
        let expected = try fixture.git("log", "--first-parent", "--format=%H", in: clone)
        #expect(history.map(\.id) == expected.split(separator: "\n").map(String.init))
        #expect(history.map(\.summary) == ["four", "three"])
    }
}
