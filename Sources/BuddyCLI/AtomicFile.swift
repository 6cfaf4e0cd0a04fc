import BuddyResults
import Foundation

/// Writes a file atomically (`ResultStore.replaceAtomically`). Commands write their outputs
/// through `OutputTarget`, which also handles devices, FIFOs, symlinks and stdout; this is for
/// plain files a command creates itself.
func writeAtomically(_ text: String, to path: String) throws {
    try ResultStore.replaceAtomically(Data(text.utf8), at: path)
}

/// Checks, before anything runs or is written, that an output path can be written
/// (`OutputTarget.prepare`, result unused).
enum OutputPath {
    static func check(_ path: String, flag: String) throws {
        _ = try OutputTarget.prepare(path, flag: flag)
    }
}
