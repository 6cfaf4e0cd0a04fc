import CGit2

/// A failed libgit2 call: the negative return code, the error class and libgit2's own message.
///
/// libgit2 keeps its last error in thread-local storage (`git_error_last()`), and the next failing
/// call overwrites it, so the error is captured immediately after the failing call (see
/// ``GitError/capture(_:in:)``). The code matters as much as the text: libgit2 1.5.1 reports some
/// conditions with misleading messages (an ownership failure comes back as `GIT_ENOTFOUND` with
/// "config value 'safe.directory' was not found").
public struct GitError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The `git_error_code` returned by the call, e.g. -3 (`GIT_ENOTFOUND`), -9 (`GIT_EUNBORNBRANCH`).
    public let code: Int32
    /// The `git_error_t` class of `git_error_last()`, or 0 (`GIT_ERROR_NONE`) when libgit2 set none.
    public let errorClass: Int32
    /// libgit2's message, unchanged (or a short description of ours when libgit2 set none).
    public let message: String
    /// The libgit2 function that failed, e.g. `git_revparse_single`.
    public let function: String

    public init(code: Int32, errorClass: Int32, message: String, function: String) {
        self.code = code
        self.errorClass = errorClass
        self.message = message
        self.function = function
    }

    public var description: String {
        "\(function): \(message) (code \(code), class \(errorClass))"
    }

    /// `GIT_ENOTFOUND`: no repository, unknown revspec, missing object.
    public var isNotFound: Bool { code == GIT_ENOTFOUND.rawValue }
    /// `GIT_EUNBORNBRANCH`: HEAD names a branch that has no commit yet.
    public var isUnbornBranch: Bool { code == GIT_EUNBORNBRANCH.rawValue }

    /// Captures `git_error_last()` for a call that just returned `code` (< 0).
    ///
    /// Must run before any other libgit2 call on this thread, or the message belongs to that call.
    static func capture(_ code: Int32, in function: String) -> GitError {
        guard let last = git_error_last() else {
            return GitError(code: code, errorClass: 0, message: "libgit2 reported no error message",
                            function: function)
        }
        let message = last.pointee.message.map { String(cString: $0) } ?? "libgit2 reported no error message"
        return GitError(code: code, errorClass: last.pointee.klass, message: message, function: function)
    }

    /// An error of ours (not from libgit2), shaped like a libgit2 one so callers handle one type.
    static func local(_ message: String, function: String, code: Int32 = GIT_ERROR.rawValue) -> GitError {
        GitError(code: code, errorClass: 0, message: message, function: function)
    }
}

/// Throws the captured libgit2 error when `code` is negative; returns `code` otherwise.
@discardableResult
func gitCheck(_ code: Int32, _ function: String) throws(GitError) -> Int32 {
    if code < 0 { throw GitError.capture(code, in: function) }
    return code
}
