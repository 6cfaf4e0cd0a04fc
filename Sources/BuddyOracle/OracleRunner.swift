import Foundation

/// Runs a command batch on the real kernel through `scripts/oracle/run` (PROTOCOL.md, "Running
/// one batch"). When the oracle cannot run — no script, no cached kernel and no way to build
/// it, no source package — the reason is returned, never a silent success.
public struct OracleRunner: Sendable {
    /// The `run` script used.
    public let script: String
    public let kernel: String
    /// `--cma` argument (e.g. "64M"), nil for none.
    public var cma: String?
    public var mem: String?
    /// `--machine pc`: the x86_64 kernel under QEMU (scripts/oracle/run-x86); nil: User-Mode Linux.
    public var machine: String?
    /// `--movablecore SIZE` (pc only): the kernel's `movablecore=SIZE`, a ZONE_MOVABLE of that
    /// size at the top of memory (`find_zone_movable_pfns_for_nodes`); nil for none.
    public var movablecore: String?
    /// `--hotadd SIZE` (pc only): SIZE more guest RAM above Normal, hidden from the boot (`mem=`)
    /// for the `hotadd` command (run-x86); nil for none.
    public var hotadd: String?
    /// `--handles` (the driver's handle table, boot parameter `buddylab_handles`): nil for the
    /// driver's default of 16,384 entries. A batch needs one entry per command; a probe boot
    /// must use the same value as its batch, or the two boots start from different states.
    public var handles: Int?
    /// The driver's default handle table (`bl_handles_cap` in buddylab_oracle.c).
    public static let defaultHandles = 16_384
    /// Boot with per-cpu lists on (`run --pcp`: no `buddylab_nopcp`), for `buddylab oracle --pcp`.
    public var pcp = false
    /// The user's patches (`run --patch`, scripts/oracle/build-patched), in order; empty: the base kernel.
    public var patches: [String] = []
    /// Each `oracle-build[…]` progress line of the kernel build, as it is printed (a first build
    /// takes 10–20 minutes inside the first `run`); nil: collected with the rest of the output.
    public var onBuildLine: (@Sendable (String) -> Void)? = nil

    /// Why the kernel side is unavailable.
    public struct Unavailable: Error, Sendable, CustomStringConvertible {
        public var reason: String
        /// True when the oracle cannot exist here at all (no kernel side in the tree, the source
        /// package cannot be had: `run` exit 3) — a test may skip. False when it exists but
        /// failed (build error, kernel crash, incomplete log) — a test must fail.
        public var skippable: Bool = false
        public var description: String { reason }
    }

    /// Finds `scripts/oracle/run`: `$BUDDYLAB_ORACLE_RUN` when set, else in the repository
    /// root, the first directory at or above `start` (default: the current directory) that
    /// holds `scripts/oracle/PROTOCOL.md`.
    public static func locate(kernel: String, start: String? = nil) throws(Unavailable) -> OracleRunner {
        let fm = FileManager.default
        if let env = ProcessInfo.processInfo.environment["BUDDYLAB_ORACLE_RUN"], !env.isEmpty {
            guard fm.isExecutableFile(atPath: env) else { throw Unavailable(reason: "BUDDYLAB_ORACLE_RUN=\(env) is not an executable file") }
            return OracleRunner(script: env, kernel: kernel, cma: "64M")
        }
        guard let root = repositoryRoot(from: start ?? fm.currentDirectoryPath) else {
            throw Unavailable(reason: "no buddylab repository (scripts/oracle/PROTOCOL.md) at or above \(start ?? fm.currentDirectoryPath)", skippable: true)
        }
        let script = root + "/scripts/oracle/run"
        guard fm.isExecutableFile(atPath: script) else {
            throw Unavailable(reason: "\(script) does not exist or is not executable: the kernel side of the oracle (scripts/oracle/{build,run}) is not in this tree", skippable: true)
        }
        return OracleRunner(script: script, kernel: kernel, cma: "64M")
    }

    public static func repositoryRoot(from start: String) -> String? {
        var dir = URL(fileURLWithPath: start).standardizedFileURL
        while true {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("scripts/oracle/PROTOCOL.md").path) { return dir.path }
            let parent = dir.deletingLastPathComponent()
            if parent.path == dir.path { return nil }
            dir = parent
        }
    }

    /// Runs `commands` on the kernel and returns the log text, the wall time in seconds and the
    /// kernel build it ran on (`linux-DEBIANVERSION-PATCHHASH-CONFIGHASH`, from `run`'s
    /// `run: kernel binary` line; nil when a substitute script prints none).
    public func run(_ commands: [OracleCommand]) throws(Unavailable) -> (log: String, seconds: Double, build: String?) {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("buddylab-oracle-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        do { try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true) } catch {
            throw Unavailable(reason: "cannot create \(tmp.path): \(error)")
        }
        defer { try? FileManager.default.removeItem(at: tmp) }
        let cmdFile = tmp.appendingPathComponent("commands"), outFile = tmp.appendingPathComponent("log")
        let text = "# buddylab oracle batch: \(commands.count) commands\n" + commands.map { $0.text + "\n" }.joined()
        do { try text.write(to: cmdFile, atomically: true, encoding: .utf8) } catch {
            throw Unavailable(reason: "cannot write \(cmdFile.path): \(error)")
        }
        let args = [kernel, cmdFile.path, outFile.path] + bootOptions
        let p = Process()
        p.executableURL = URL(fileURLWithPath: script)
        p.arguments = args
        let errPipe = Pipe()
        p.standardError = errPipe
        p.standardOutput = errPipe
        let started = Date()
        do { try p.run() } catch { throw Unavailable(reason: "cannot start \(script): \(error)") }
        // Read as it comes, so the build's progress lines (a first build of the kernel is 10–20
        // minutes) reach `onBuildLine` while it runs instead of after it.
        let output = ScriptOutput(onBuildLine: onBuildLine)
        output.drain(errPipe.fileHandleForReading)
        p.waitUntilExit()
        let seconds = Date().timeIntervalSince(started)
        guard p.terminationStatus == 0 else {
            // run's exit 3: the kernel source package cannot be had here (PROTOCOL.md).
            throw Unavailable(reason: "\(script) \(args.joined(separator: " ")) exited \(p.terminationStatus):\n\(output.tail)",
                              skippable: p.terminationStatus == 3)
        }
        guard let log = try? String(contentsOf: outFile, encoding: .utf8) else {
            throw Unavailable(reason: "\(script) exited 0 but wrote no log at \(outFile.path)")
        }
        return (log, seconds, output.build)
    }

    /// `run`'s options after its positional arguments: memory, CMA area, handle table, patches.
    var bootOptions: [String] {
        var args: [String] = []
        if let machine { args += ["--machine", machine] }
        if let mem { args += ["--mem", mem] }
        if let cma { args += ["--cma", cma] }
        if let movablecore { args += ["--movablecore", movablecore] }
        if let hotadd { args += ["--hotadd", hotadd] }
        if let handles { args += ["--handles", String(handles)] }
        if pcp { args.append("--pcp") }
        for patch in patches { args += ["--patch", patch] }
        return args
    }
}
