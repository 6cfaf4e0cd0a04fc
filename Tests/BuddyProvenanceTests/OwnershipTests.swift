import Foundation
import Testing

@testable import BuddyProvenance

/// Toggles libgit2's process-wide `GIT_OPT_SET_OWNER_VALIDATION`, hence serialised. Needs root to
/// hand the repository to another uid.
@Suite(.serialized)
struct OwnershipTests {
    @Test(.enabled(if: getuid() == 0, "needs root to chown the repository"))
    func foreignOwnedRepositoryOpensWithValidationOff() throws {
        let fixture = try GitFixture.withCommits(["first"])
        defer { fixture.remove() }
        try fixture.git("status", "--porcelain")
        #expect(chownRecursively(fixture.repo, uid: 65534, gid: 65534))

        try GitRepository.setOwnerValidation(true)
        defer { try? GitRepository.setOwnerValidation(false) }
        #expect(throws: GitError.self) {
            try GitRepository.discover(from: fixture.repo, ceiling: fixture.root)
        }
        try GitRepository.setOwnerValidation(false)
        let revision = try GitRepository.discover(from: fixture.repo, ceiling: fixture.root).revision()
        #expect(revision.summary == "first")
    }

    private func chownRecursively(_ path: String, uid: uid_t, gid: gid_t) -> Bool {
        guard chown(path, uid, gid) == 0 else { return false }
        guard let enumerator = FileManager.default.enumerator(atPath: path) else { return false }
        for case let relative as String in enumerator where chown(path + "/" + relative, uid, gid) != 0 {
            return false
        }
        return true
    }
}
