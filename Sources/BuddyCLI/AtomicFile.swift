import BuddyResults
import Foundation

/// Writes a report or `--json` file atomically (`ResultStore.replaceAtomically`). A failure
/// here is an I/O error (exit 3): output paths are checked before any work by `OutputPath`.
func writeAtomically(_ text: String, to path: String) throws {
    try ResultStore.replaceAtomically(Data(text.utf8), at: path)
}

/// Checks, before anything runs or is written, that a file can be created at an output path:
/// it is not a directory, and its nearest existing ancestor directory is writable.
enum OutputPath {
    static func check(_ path: String, flag: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw BadInput("\(flag) \(path): is a directory")
        }
        var ancestor = URL(fileURLWithPath: path).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: ancestor.path, isDirectory: &isDirectory) {
            ancestor.deleteLastPathComponent()
        }
        guard isDirectory.boolValue else { throw BadInput("\(flag) \(path): \(ancestor.path) is not a directory") }
        guard access(ancestor.path, W_OK) == 0 else {
            throw BadInput("\(flag) \(path): \(ancestor.path) is not writable")
        }
    }
}
