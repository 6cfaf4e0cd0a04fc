import BuddyOracle
import BuddyVariants
import Foundation

/// `buddylab oracle --kernel K --calibration FILE`: the §10 calibration cases (Calibration.swift).
extension OracleCommandLine {
    func runCalibration(to path: String) throws {
        try checkWritable(path)
        let runner: OracleRunner
        do { runner = try OracleRunner.locate(kernel: kernel) } catch {
            printError("the real kernel cannot run here: \(String(describing: error))"); throw Exit.internalError
        }
        var ids = ["linux-5.18", "linux-5.19"]
        if !ids.contains(variant) { ids.append(variant) }
        let variants = ids.compactMap { Variants.named($0) }
        let md: String
        do {
            md = try Calibration.markdown(kernelSeries: kernel, variants: variants) { cma, commands in
                var r = runner
                r.cma = cma
                let out = try r.run(commands)
                return try OracleLogParser.parse(out.log, file: "kernel-\(kernel).log")
            }
        } catch {
            printError("calibration failed: \(error)"); throw Exit.internalError
        }
        try md.write(toFile: path, atomically: true, encoding: .utf8)
        Console.out("wrote \(path)\n")
    }
}
