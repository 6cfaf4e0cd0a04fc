import Foundation
import Testing

@testable import BuddyProvenance

@Suite("Revision of the work tree")
struct RevisionTests {
    @Test func commitIdBranchAndTimeMatchTheGitCLI() throws {
        let fixture = try GitFixture.withCommits(["first commit"])
        defer { fixture.remove() }
        try FileManager.default.createDirectory(atPath: fixture.repo + "/sub/dir", withIntermediateDirectories: true)

        let repository = try GitRepository.discover(from: fixture.repo + "/sub/dir", ceiling: fixture.root)
        let revision = try repository.revision()
        #expect(revision.commit == (try fixture.git("rev-parse", "HEAD")))
        #expect(revision.short.count == 12)
        #expect(revision.commit.hasPrefix(revision.short))
        #expect(revision.branch == "main")
        #expect(revision.summary == "first commit")
        #expect(revision.commitTime == (try fixture.git("log", "-1", "--format=%cI")))
        #expect(revision.commitTime == "2024-03-01T12:00:00+01:00")
        #expect(!revision.dirty)
        #expect(revision.dirtyDiffSHA256 == nil)
        #expect(repository.workdir == fixture.repo)
    }

    @Test(arguments: ["2024-02-29T23:30:00-05:30", "1999-12-31T23:59:59+00:00", "2038-01-19T03:14:08+14:00"])
    func commitTimeKeepsTheCommitterOffset(date: String) throws {
        let fixture = try GitFixture()
        defer { fixture.remove() }
        try fixture.git("init", "-q")
        try fixture.write("a.txt", "a\n")
        try fixture.git("add", "a.txt")
        try fixture.git("commit", "-q", "-m", "dated", date: date)
        let revision = try GitRepository.discover(from: fixture.repo, ceiling: fixture.root).revision()
        #expect(revision.commitTime == date)
    }

    @Test func dirtyStateAndDiffHash() throws {
        let fixture = try GitFixture.withCommits(["first"])
        defer { fixture.remove() }
        try fixture.write(".gitignore", "build/\n")
        try fixture.git("add", ".gitignore")
        try fixture.git("commit", "-q", "-m", "ignore build")
        let repository = try GitRepository.discover(from: fixture.repo, ceiling: fixture.root)

        try fixture.write("build/out.o", "ignored\n")
        try fixture.write("untracked.txt", "new\n")
        let clean = try repository.revision()
        #expect(!clean.dirty, "untracked and ignored files do not make the tree dirty")
        #expect(clean.dirtyDiffSHA256 == nil)
        #expect(!clean.describe.hasSuffix("-dirty"))

        try fixture.write("file.txt", "changed once\n")
        let first = try repository.revision()
        #expect(first.dirty)
        let firstHash = try #require(first.dirtyDiffSHA256)
        #expect(firstHash.count == 64 && firstHash.allSatisfy { "0123456789abcdef".contains($0) })
        #expect(first.describe.hasSuffix("-dirty"))
        #expect(first.describe == (try fixture.git("describe", "--tags", "--always", "--dirty")))

        try fixture.write("file.txt", "changed twice\n")
        let second = try repository.revision()
        #expect(second.dirtyDiffSHA256 != firstHash, "a new edit of a tracked file changes the hash")

        try fixture.write("another-untracked.txt", "more\n")
        try fixture.git("status", "--porcelain")  // refreshes the index stat cache
        let third = try repository.revision()
        #expect(third.dirtyDiffSHA256 == second.dirtyDiffSHA256, "untracked files do not change the hash")

        try fixture.git("add", "file.txt")
        let staged = try repository.revision()
        #expect(staged.dirty, "a staged change is dirty")
        #expect(staged.dirtyDiffSHA256 == second.dirtyDiffSHA256, "HEAD→work tree patch is unchanged by staging")

        try fixture.git("commit", "-q", "-m", "second")
        #expect(try !repository.revision().dirty)
    }

    @Test func binaryEditsChangeTheDiffHash() throws {
        let fixture = try GitFixture()
        defer { fixture.remove() }
        try fixture.git("init", "-q")
        let blob = fixture.repo + "/blob.bin"
        try Data([0, 1, 2, 3, 0, 255]).write(to: URL(fileURLWithPath: blob))
        try fixture.git("add", "blob.bin")
        try fixture.git("commit", "-q", "-m", "binary")
        let repository = try GitRepository.discover(from: fixture.repo, ceiling: fixture.root)

        try Data([0, 1, 2, 3, 0, 254]).write(to: URL(fileURLWithPath: blob))
        let first = try #require(try repository.revision().dirtyDiffSHA256)
        try Data([0, 1, 2, 3, 0, 253]).write(to: URL(fileURLWithPath: blob))
        let second = try #require(try repository.revision().dirtyDiffSHA256)
        #expect(first != second, "a new edit of a tracked binary file changes the hash")
    }

    @Test func detachedHeadHasNoBranch() throws {
        let fixture = try GitFixture.withCommits(["first", "second"])
        defer { fixture.remove() }
        try fixture.git("checkout", "-q", "--detach", "HEAD~1")
        let repository = try GitRepository.discover(from: fixture.repo, ceiling: fixture.root)
        #expect(repository.isHeadDetached)
        let revision = try repository.revision()
        #expect(revision.branch == nil)
        #expect(revision.commit == (try fixture.git("rev-parse", "HEAD")))
        #expect(revision.summary == "first")
    }

    @Test func unbornRepositoryHasNoRevision() throws {
        let fixture = try GitFixture()
        defer { fixture.remove() }
        try fixture.git("init", "-q")
        try fixture.write("staged.txt", "x\n")
        try fixture.git("add", "staged.txt")

        let repository = try GitRepository.discover(from: fixture.repo, ceiling: fixture.root)
        #expect(repository.isHeadUnborn)
        #expect(try repository.headBranch() == "main")
        #expect(throws: GitError.self) { try repository.revision() }
        do throws(GitError) {
            _ = try repository.revision()
        } catch {
            #expect(error.isUnbornBranch)
        }
        let (revision, note) = GitRepository.currentRevision(at: fixture.repo, ceiling: fixture.root)
        #expect(revision == nil)
        #expect(note == "repository has no commits yet (unborn branch 'main')")
    }

    @Test func outsideAnyRepository() throws {
        let fixture = try GitFixture()
        defer { fixture.remove() }
        do throws(GitError) {
            _ = try GitRepository.discover(from: fixture.repo, ceiling: fixture.root)
            Issue.record("discovery escaped the ceiling")
        } catch {
            #expect(error.isNotFound)
            #expect(error.message.contains("could not find repository"))
        }
        let (revision, note) = GitRepository.currentRevision(at: fixture.repo, ceiling: fixture.root)
        #expect(revision == nil)
        #expect(note?.hasPrefix("not a git repository: could not find repository") == true)

        let missing = GitRepository.currentRevision(at: fixture.root + "/does/not/exist", ceiling: fixture.root)
        #expect(missing.0 == nil)
        #expect(missing.note?.hasPrefix("not a git repository: ") == true)
    }

    @Test func currentRevisionInARepository() throws {
        let fixture = try GitFixture.withCommits(["only"])
        defer { fixture.remove() }
        let (revision, note) = GitRepository.currentRevision(at: fixture.repo, ceiling: fixture.root)
        #expect(note == nil)
        #expect(revision?.commit == (try fixture.git("rev-parse", "HEAD")))
    }
}
