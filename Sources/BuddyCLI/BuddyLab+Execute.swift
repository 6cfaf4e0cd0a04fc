import ArgumentParser

extension BuddyLab {
    /// Parses and runs one command line and returns the contract's exit code instead of exiting.
    ///
    /// ArgumentParser's own `main()` exits with EX_USAGE (64) for a bad flag or value, where the
    /// contract wants 2, and it calls `exit()` itself, which an in-process caller cannot survive.
    /// This entry point maps every outcome onto the contract (0 success, 1 expectation failed or
    /// regression, 2 bad input, 3 internal error); `buddylab`'s `main.swift` exits with the result.
    ///
    /// - Parameter arguments: the command line without the program name.
    public static func execute(_ arguments: [String]) -> Int32 {
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            return 0
        } catch let code as ExitCode {
            // Thrown by our commands after they printed their own message (`withExitCodes`).
            return code.rawValue
        } catch {
            let message = fullMessage(for: error)
            switch exitCode(for: error) {
            case .success:
                // --help, --version: the text is the command's output.
                Console.out(message.isEmpty ? "" : message + "\n")
                return 0
            case .validationFailure:
                // Unknown flag, missing or malformed value, `validate()` failures: the message
                // names the flag and is followed by the usage line.
                Console.err(message + "\n")
                return Exit.badInput.rawValue
            default:
                Console.err("buddylab: error: internal error: " + message + "\n")
                return Exit.internalError.rawValue
            }
        }
    }

    /// ``execute(_:)`` with stdout and stderr collected instead of written, for in-process
    /// callers such as the end-to-end tests.
    public static func executeCapturing(_ arguments: [String]) -> (status: Int32, stdout: String, stderr: String) {
        let capture = ConsoleCapture()
        let status = Console.$capture.withValue(capture) { execute(arguments) }
        return (status, capture.stdout, capture.stderr)
    }
}
