import CGit2

/// One-time libgit2 set-up, done lazily by the first ``GitRepository`` entry point.
///
/// `git_libgit2_init()` must precede every other libgit2 call. It is reference-counted, and a Swift
/// global is initialised exactly once and thread-safely, so a global `let` is the simplest correct
/// guard under Swift 6 strict concurrency. `git_libgit2_shutdown()` is deliberately never called:
/// shutting down while a `git_repository` is alive would be a use-after-free, and process exit
/// releases everything anyway.
///
/// Ownership validation is switched off here (`GIT_OPT_SET_OWNER_VALIDATION`, through the
/// `buddylab_git_set_owner_validation` shim because `git_libgit2_opts` is variadic). buddylab only
/// reads repositories, and libgit2 1.5.1 neither honours `safe.directory='*'` nor reports a missing
/// `safe.directory` as `GIT_EOWNER` (it says `GIT_ENOTFOUND`, as if there were no repository), so a
/// checkout owned by another uid (CI containers, bind mounts) would look like "not a repository".
let libgit2Initialized: Bool = {
    let count = git_libgit2_init()
    _ = buddylab_git_set_owner_validation(0)
    return count > 0
}()

/// Forces ``libgit2Initialized``; call at the top of every entry point that touches libgit2.
@inline(__always)
func ensureLibgit2() {
    _ = libgit2Initialized
}

/// The 40-hex form of an object id.
///
/// `git_oid_fmt` writes exactly `GIT_OID_HEXSZ` characters and no NUL, so the bytes are decoded
/// directly instead of going through a C string.
func hexString(_ oid: UnsafePointer<git_oid>) -> String {
    var bytes = [UInt8](repeating: 0, count: Int(GIT_OID_HEXSZ))
    bytes.withUnsafeMutableBufferPointer { buffer in
        buffer.withMemoryRebound(to: CChar.self) { chars in
            _ = git_oid_fmt(chars.baseAddress, oid)
        }
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// The bytes of a `git_buf` as a String (`ptr`/`size`, never relying on a terminator).
func string(of buf: git_buf) -> String {
    guard let ptr = buf.ptr, buf.size > 0 else { return "" }
    let raw = UnsafeRawBufferPointer(start: ptr, count: buf.size)
    return String(decoding: raw, as: UTF8.self)
}

/// Minimum length of the short ids buddylab records: the contract's `"short": "<12 hex>"`.
let minimumShortIdLength = 12

/// The contract's `"short"`: exactly the first ``minimumShortIdLength`` hex digits of the id.
///
/// libgit2's own abbreviation (`git_object_short_id`, used for `describe`) is usually 7
/// characters and longer under `core.abbrev`; the contract fixes 12, which stays unique far
/// longer as history grows and reads the same in every record.
func shortId(_ fullId: String) -> String { String(fullId.prefix(minimumShortIdLength)) }
