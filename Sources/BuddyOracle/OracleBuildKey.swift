import Foundation

/// The kernel build a calibration or lockstep ran on: `scripts/oracle/build` names each cached
/// binary `linux-DEBIANVERSION-PATCHHASH-CONFIGHASH` (PROTOCOL.md; the key changes with Debian's
/// source version, the oracle driver/patch and the config fragment), and `run` boots exactly the
/// binary `build` prints. Asking `build` again after a run costs nothing: it is cached.
extension OracleRunner {
    /// The build key of this runner's kernel, or a sentence saying why it is unknown.
    public func buildKey() -> String {
        let build = URL(fileURLWithPath: script).deletingLastPathComponent().appendingPathComponent("build").path
        guard FileManager.default.isExecutableFile(atPath: build) else { return "unknown (no build script beside \(script))" }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: build)
        p.arguments = [kernel]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return "unknown (cannot start \(build): \(error))" }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let last = String(decoding: data, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
        guard p.terminationStatus == 0, !last.isEmpty else { return "unknown (\(build) \(kernel) exited \(p.terminationStatus))" }
        return Self.buildKey(binaryPath: last)
    }

    /// `/var/cache/buddylab-oracle/bin/linux-6.1.192-1a2b…-3c4d…` → `linux-6.1.192-1a2b…-3c4d…`.
    public static func buildKey(binaryPath: String) -> String {
        URL(fileURLWithPath: binaryPath).lastPathComponent
    }
}
