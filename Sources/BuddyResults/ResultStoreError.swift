#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A store operation that failed: what was being done, on which path, and the system's reason.
public struct ResultStoreError: Error, CustomStringConvertible, Equatable {
    /// The operation, e.g. `mkdir`, `open`, `fsync`, `link`, `encode`.
    public let operation: String
    public let path: String
    /// `errno` of the failing call, 0 when the failure is not a system call's.
    public let code: Int32
    public let reason: String

    public init(operation: String, path: String, code: Int32, reason: String) {
        self.operation = operation
        self.path = path
        self.code = code
        self.reason = reason
    }

    /// The error of a system call that just failed with `errno` = `code`.
    static func system(_ operation: String, _ path: String, _ code: Int32) -> ResultStoreError {
        ResultStoreError(operation: operation, path: path, code: code, reason: String(cString: strerror(code)))
    }

    public var description: String { "\(operation) \(path): \(reason)" }
}
