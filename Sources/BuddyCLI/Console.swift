import Foundation

/// Where commands write their results (stdout) and diagnostics (stderr).
///
/// The executable writes to the process's streams. In-process callers — the end-to-end tests —
/// bind a `ConsoleCapture` for the duration of one command line instead: Swift Testing runs tests
/// in parallel in one process, so redirecting file descriptors 1 and 2 would mix the output of
/// concurrent commands. A task-local keeps each capture private to the command that set it.
enum Console {
    @TaskLocal static var capture: ConsoleCapture?

    /// Writes `text` as is (no newline added) to stdout, or to the bound capture.
    static func out(_ text: String) {
        if let capture { capture.append(out: text) } else { FileHandle.standardOutput.write(Data(text.utf8)) }
    }

    /// Writes `text` as is (no newline added) to stderr, or to the bound capture.
    static func err(_ text: String) {
        if let capture { capture.append(err: text) } else { FileHandle.standardError.write(Data(text.utf8)) }
    }
}

/// The stdout and stderr text of one in-process command line.
///
/// `@unchecked Sendable`: the two buffers are only touched under `lock`, and a command may write
/// from more than one thread (the runner's workers report through the CLI's closures).
public final class ConsoleCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var outText = ""
    private var errText = ""

    public init() {}

    public var stdout: String { lock.withLock { outText } }
    public var stderr: String { lock.withLock { errText } }

    func append(out text: String) { lock.withLock { outText += text } }
    func append(err text: String) { lock.withLock { errText += text } }
}
