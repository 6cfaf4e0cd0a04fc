import BuddyOracle
import BuddyResults
import BuddyVariants
import Foundation

/// `buddylab oracle --kernel K --calibration FILE`: the §10 calibration cases (Calibration.swift).
extension OracleCommandLine {
    /// Every kernel series, `--kernel`'s first; a series that cannot run gets a "not run" line
    /// with the reason (the file is written only when at least one ran).
    func runCalibration(to path: String) throws {
        let target = try OutputTarget.prepare(path, flag: "--calibration")
        let kernels = [kernel] + ["6.1", "6.12"].filter { $0 != kernel }
        var ids = ["linux-5.18", "linux-5.19"]
        let chosen = variant ?? Self.defaultVariant(kernel: kernel)
        if !ids.contains(chosen) { ids.append(chosen) }
        for k in kernels where Variants.named("linux-" + k) != nil && !ids.contains("linux-" + k) { ids.append("linux-" + k) }
        let variants = ids.compactMap { Variants.named($0) }
        let (rev, note, _) = currentRevision(repo: nil, toolOutputs: { _ in [path] })
        var md = Calibration.header(kernels: kernels, revision: Self.revisionText(rev, note))
        var ran = 0
        for k in kernels {
            do {
                let runner = try OracleRunner.locate(kernel: k)
                md += try Calibration.markdown(kernelSeries: k, variants: variants) { cma, commands in
                    var r = runner
                    r.cma = cma
                    let out = try r.run(commands)
                    return (try OracleLogParser.parse(out.log, file: "kernel-\(k).log"), out.build)
                }
                ran += 1
            } catch {
                md += "## Linux \(k)\n\nNot run: \(error)\n\n"
            }
        }
        guard ran > 0 else { printError("calibration: no kernel could run:\n\(md)"); throw Exit.internalError }
        try target.write(md)
        Console.out("wrote \(path)\n")
    }

    /// `commit 0123… (clean)` / `commit 0123… (dirty, diff sha256 ab12…)` / why there is none.
    static func revisionText(_ rev: RevisionInfo?, _ note: String?) -> String {
        guard let r = rev else { return "revision unknown (\(note ?? "no repository"))" }
        let state = r.dirty ? "dirty, diff sha256 \(r.dirtyDiffSHA256 ?? "?")" : "clean"
        return "commit `\(r.commit)` (\(state))"
    }
}
