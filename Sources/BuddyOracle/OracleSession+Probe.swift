import BuddyCore
import Foundation

extension OracleSession {
    /// Commands made against a model of a probe boot's state 0, then run in a second boot: the
    /// x86_64 oracle has no channel back into a running guest (scripts/oracle/run-x86), so the
    /// interactive batch of `probed` is not available there. The lockstep imports the batch
    /// boot's own state 0; only the choice of commands saw the probe's.
    public func probedTwoBoots(_ make: (any KernelModel) -> [OracleCommand]) throws(Failure) -> Report {
        stage?("probe boot of the \(runner.kernel) kernel (\(runner.machine ?? "uml")): state 0")
        let probe = try runKernel([])
        let started = Date()
        let model: any KernelModel
        do throws(ImportError) { model = try makeKernelModel(variant: variant, log: probe.log) } catch {
            throw .badImport(error.message)
        }
        stage?("choosing commands against the probe's state 0")
        let commands = make(model)
        let chooseSeconds = Date().timeIntervalSince(started)
        var report = try scripted(commands)
        report.probeSeconds = probe.seconds + chooseSeconds
        return report
    }
}
