import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Interactive batches (PROTOCOL.md, "Interactive batches"): one boot whose driver logs state 0,
/// then waits — the whole User-Mode Linux process blocked on a FIFO — while the host chooses the
/// commands against exactly that state. A probe boot cannot give that: two boots differ by a few
/// pages of boot noise (measured 1–11 on 6.1), enough for an allocation to succeed on one and fail
/// on the other, after which the kernel's handle numbers and the generator's no longer agree
/// (a 100,000-command run then freed the wrong handles and sat at OOM for 85,000 commands).
extension OracleRunner {
    /// Boots once, hands the log up to state 0 (ending in `ready`) to `choose`, runs the commands
    /// it returns and gives back the whole log, the wall time, the build and the commands.
    public func runInteractive(choose: (String) throws(Unavailable) -> [OracleCommand]) throws(Unavailable)
        -> (log: String, seconds: Double, build: String?, commands: [OracleCommand])
    {
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("buddylab-oracle-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        do { try fm.createDirectory(at: dir, withIntermediateDirectories: true) } catch {
            throw Unavailable(reason: "cannot create \(dir.path): \(error)")
        }
        defer { try? fm.removeItem(at: dir) }
        let go = dir.appendingPathComponent("go").path, logPath = dir.appendingPathComponent("log").path
        let outFile = dir.appendingPathComponent("result.log")
        guard mkfifo(go, 0o600) == 0 else { throw Unavailable(reason: "cannot create the FIFO \(go): errno \(errno)") }

        let args = [kernel, "--interactive", dir.path, outFile.path] + bootOptions
        let p = Process()
        p.executableURL = URL(fileURLWithPath: script)
        p.arguments = args
        let pipe = Pipe()
        p.standardError = pipe
        p.standardOutput = pipe
        let output = ScriptOutput(onBuildLine: onBuildLine)
        let started = Date()
        do { try p.run() } catch { throw Unavailable(reason: "cannot start \(script): \(error)") }
        let reader = Thread { output.drain(pipe.fileHandleForReading) }
        reader.start()
        func failure(_ what: String) -> Unavailable {
            p.waitUntilExit()
            output.waitForEOF()
            return Unavailable(reason: "\(script) \(args.joined(separator: " ")): \(what) (exit \(p.terminationStatus)):\n\(output.tail)",
                               skippable: p.terminationStatus == 3)
        }

        // Wait for state 0 (the first run may build the kernel first: no time limit but the
        // script's own; it exits when anything fails).
        var prefix: String?
        while prefix == nil {
            if let text = try? String(contentsOfFile: logPath, encoding: .utf8), let r = text.range(of: "\nready\n") {
                prefix = String(text[..<r.upperBound])
            } else if !p.isRunning {
                throw failure("the kernel stopped before its state 0 was logged")
            } else {
                usleep(10_000)
            }
        }
        let commands: [OracleCommand]
        do { commands = try choose(prefix!) } catch {
            p.terminate()
            throw error
        }
        let text = "# buddylab oracle batch: \(commands.count) commands\n" + commands.map { $0.text + "\n" }.joined()
        do { try text.write(to: dir.appendingPathComponent("cmds"), atomically: true, encoding: .utf8) } catch {
            p.terminate()
            throw Unavailable(reason: "cannot write the commands into \(dir.path): \(error)")
        }
        // Open the FIFO without blocking (ENXIO until the driver has opened it for reading), so
        // a kernel that died meanwhile cannot hang the host.
        var fd: Int32 = -1
        while fd < 0 {
            fd = open(go, O_WRONLY | O_NONBLOCK)
            if fd >= 0 { break }
            guard errno == ENXIO || errno == EINTR else { p.terminate(); throw Unavailable(reason: "cannot open \(go): errno \(errno)") }
            guard p.isRunning else { throw failure("the kernel stopped while waiting for its commands") }
            usleep(2_000)
        }
        _ = "go\n".withCString { write(fd, $0, 3) }
        close(fd)
        p.waitUntilExit()
        output.waitForEOF()
        let seconds = Date().timeIntervalSince(started)
        guard p.terminationStatus == 0 else { throw failure("the batch failed") }
        guard let log = try? String(contentsOf: outFile, encoding: .utf8) else {
            throw Unavailable(reason: "\(script) exited 0 but wrote no log at \(outFile.path)")
        }
        return (log, seconds, output.build, commands)
    }
}

/// The run script's stdout and stderr as they come (on a thread of its own while an interactive
/// batch waits for the kernel's state 0): the build's progress lines go to `onBuildLine` at once.
final class ScriptOutput: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)
    let onBuildLine: (@Sendable (String) -> Void)?

    init(onBuildLine: (@Sendable (String) -> Void)?) { self.onBuildLine = onBuildLine }

    func drain(_ handle: FileHandle) {
        var pending = Data()
        while case let chunk = handle.availableData, !chunk.isEmpty {
            lock.lock(); data.append(chunk); lock.unlock()
            guard let onBuildLine else { continue }
            pending.append(chunk)
            while let nl = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[pending.startIndex..<nl], as: UTF8.self)
                pending.removeSubrange(pending.startIndex...nl)
                if line.hasPrefix("oracle-build[") { onBuildLine(line) }
            }
        }
        done.signal()
    }

    func waitForEOF() { done.wait(); done.signal() }

    var text: String { lock.lock(); defer { lock.unlock() }; return String(decoding: data, as: UTF8.self) }
    var tail: String { String(text.suffix(2000)) }
    /// The `run: kernel binary …` line's build name.
    var build: String? {
        text.split(separator: "\n").first { $0.hasPrefix("run: kernel binary ") }
            .map { String($0.dropFirst("run: kernel binary ".count)) }
    }
}
