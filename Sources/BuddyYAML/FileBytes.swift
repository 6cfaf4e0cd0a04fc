#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a whole file as raw bytes.
///
/// Raw bytes, not `String(contentsOfFile:)`: decoding to a String first would replace invalid
/// UTF-8 with U+FFFD silently, and libyaml could no longer report the bad byte's position
/// (toolchain-notes §2, pitfall 6). Plain libc keeps Foundation out of the parser.
enum FileBytes {
    static func read(path: String) throws(YAMLError) -> [UInt8] {
        guard let handle = fopen(path, "rb") else {
            throw YAMLError(file: path, line: 0, column: 0, message: "cannot open file: \(lastErrno())")
        }
        defer { fclose(handle) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { buffer in
                fread(buffer.baseAddress, 1, buffer.count, handle)
            }
            bytes.append(contentsOf: chunk[0..<count])
            if count < chunk.count { break }
        }
        if ferror(handle) != 0 {
            throw YAMLError(file: path, line: 0, column: 0, message: "cannot read file: \(lastErrno())")
        }
        return bytes
    }

    private static func lastErrno() -> String {
        guard let text = strerror(errno) else { return "error \(errno)" }
        return String(cString: text)
    }
}
