import ArgumentParser

/// The contract's exit codes.
enum Exit {
    static let expectationFailed = ExitCode(1)
    static let badInput = ExitCode(2)
    static let internalError = ExitCode(3)
}

/// Bad input: printed as `buddylab: error: <message>` and exit 2. Messages name
/// file:line:column or the flag.
struct BadInput: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

func printError(_ message: String) {
    Console.err("buddylab: error: " + message + "\n")
}

/// Run a command body, mapping our errors onto the contract's exit codes.
func withExitCodes(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let e as BadInput {
        printError(e.message); throw Exit.badInput
    } catch let e as ExitCode {
        throw e
    } catch {
        printError("internal error: \(error)"); throw Exit.internalError
    }
}
