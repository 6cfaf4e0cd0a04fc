import BuddyResults

/// "## Real kernel": for each real-kernel column (`buddylab run --kernel`) what ran, how the
/// experiment was mapped onto the kernel, and every phase or op not run there with the reason;
/// for a kernel without a column, why. Empty when no kernel was asked for.
enum RealKernelSection {
    static func markdown(_ input: ReportInput, _ model: ReportModel) -> String {
        let columns = model.variants.compactMap { v in model.runs(of: v).first { $0.kernel != nil } }
        guard !columns.isEmpty || !input.kernelNotes.isEmpty else { return "" }
        var out = "## Real kernel\n\n"
        if !columns.isEmpty {
            out += "Columns named `kernel …` ran the experiment's scripted ops on the real kernel (User-Mode Linux, "
                + "scripts/oracle) through the oracle driver. Their metrics come from the kernel's log: the driver's "
                + "result of every command and the zone snapshot after the last one; a metric shown as – is not "
                + "measured on a real kernel (not 0), an op shown as – in the ops table was not run there (listed below). Real-kernel runs are not kept in the results store.\n\n"
        }
        for run in columns {
            guard let k = run.kernel else { continue }
            out += "### \(run.variant)\n\n"
            for note in k.notes { out += "- " + note + "\n" }
            if k.notRun.isEmpty {
                out += "- Every phase and op of the experiment ran on the kernel.\n"
            } else {
                for item in k.notRun { out += "- not run on a real kernel: " + item + "\n" }
            }
            out += "\n"
        }
        for note in input.kernelNotes { out += "- " + note + "\n" }
        if !input.kernelNotes.isEmpty { out += "\n" }
        return out
    }
}
