import Foundation

/// One real kernel to run: a series (6.1, 6.12) and optionally the user's patch on it.
///
/// Spelled `6.1` or `6.1+FILE` everywhere a kernel is named (`run --kernel`, `diverge --kernels`,
/// `shrink --kernels`); `--kernel-patch FILE` adds `SERIES+FILE` beside each `--kernel SERIES`.
/// A patched kernel is its own build (scripts/oracle/build-patched), cached by the base kernel's
/// key and the patch's SHA-256.
public struct KernelTarget: Sendable, Equatable, CustomStringConvertible {
    public static let series = ["6.1", "6.12"]

    public let series: String
    public let patch: KernelPatch?
    /// `pc`: the x86_64 kernel under QEMU (`run --kernel-machine pc`: zones DMA, DMA32, Normal,
    /// memory hotplug); nil: User-Mode Linux.
    public var machine: String? = nil

    public init(series: String, patch: KernelPatch?) { self.series = series; self.patch = patch }

    /// `6.1` or `6.1+FILE` (the patch loaded and checked for shape, not yet for applying).
    public static func parse(_ text: String, flag: String) throws(KernelPatch.Problem) -> KernelTarget {
        let t = text.trimmingCharacters(in: .whitespaces)
        let (s, file): (String, String?) = {
            guard let plus = t.firstIndex(of: "+") else { return (t, nil) }
            return (String(t[..<plus]), String(t[t.index(after: plus)...]))
        }()
        guard series.contains(s) else {
            throw KernelPatch.Problem(message: "\(flag) '\(text)': '\(s)' is not a kernel series (\(series.joined(separator: " or "))); a patched kernel is SERIES+FILE, e.g. 6.1+fix.patch")
        }
        guard let file else { return KernelTarget(series: s, patch: nil) }
        guard !file.isEmpty else { throw KernelPatch.Problem(message: "\(flag) '\(text)': no patch file after '+'") }
        return KernelTarget(series: s, patch: try KernelPatch.load(file))
    }

    /// How the kernel is named on the command line: `6.1` or `6.1+FILE`.
    public var description: String { patch.map { "\(series)+\($0.path)" } ?? series }

    /// The column / side name once the kernel's log has told its version:
    /// `kernel 6.1.192 (UML)`, `kernel 6.1.192 + NAME (UML)`.
    public func label(version: String) -> String {
        "kernel \(version)" + (patch.map { " + \($0.name)" } ?? "") + (machine == "pc" ? " (x86_64 pc)" : " (UML)")
    }

    /// A runner for this kernel: the located `scripts/oracle/run` with `--patch` when patched.
    public func runner(start: String? = nil) throws(OracleRunner.Unavailable) -> OracleRunner {
        var r = try OracleRunner.locate(kernel: series, start: start)
        if let patch { r.patches = [patch.path] }
        if machine == "pc" { r.machine = "pc" }
        return r
    }

    /// Checks that every patched target's patch applies to its series' tree (a dry run:
    /// `scripts/oracle/build-patched --check`, which writes nothing). Returns the problems of the
    /// patches that do not apply (the failing hunks, as `patch` names them), and separately why
    /// the check could not be made (no oracle here, the base kernel cannot be built): that is the
    /// run's kernel failure, reported when the column is made.
    public static func checkApplies(_ targets: [KernelTarget], start: String? = nil)
        -> (problems: [String], unavailable: [String]) {
        var problems: [String] = [], unavailable: [String] = []
        for t in targets {
            guard let patch = t.patch else { continue }
            let runner: OracleRunner
            do { runner = try t.runner(start: start) } catch { unavailable.append("\(t): \(error.reason)"); continue }
            let script = URL(fileURLWithPath: runner.script).deletingLastPathComponent().appendingPathComponent("build-patched").path
            guard FileManager.default.isExecutableFile(atPath: script) else {
                unavailable.append("\(t): \(script) is not here"); continue
            }
            let p = Process()
            p.executableURL = URL(fileURLWithPath: script)
            p.arguments = ["--check", t.series, patch.path]
            let pipe = Pipe()
            p.standardError = pipe
            p.standardOutput = pipe
            do { try p.run() } catch { unavailable.append("\(t): cannot start \(script): \(error)"); continue }
            let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            let lines = out.split(separator: "\n").filter { !$0.hasPrefix("oracle-build[") }
            switch p.terminationStatus {
            case 0: continue
            case 2: problems.append(lines.joined(separator: "\n"))
            default: unavailable.append("\(t): the patch could not be checked (build-patched --check exited \(p.terminationStatus)): " + lines.suffix(5).joined(separator: "; "))
            }
        }
        return (problems, unavailable)
    }
}
