/// The engine's `/proc/buddyinfo` and `/proc/pagetypeinfo` renderings of the final state.
///
/// The engine formats them like the kernel (so they can be compared with a real machine's
/// files); the report only folds them, one `<details>` per variant and file, since they are long
/// and only needed when a number in the tables looks wrong. Shown only when asked for
/// (`ReportInput.includeProcDumps`).
enum ProcDumps {
    static func markdown(_ model: ReportModel) -> String {
        guard let seed = model.seeds.first else { return "" }
        var out = ""
        for (variant, name, body) in dumps(model) {
            out += "<details><summary>\(variant): \(name) (seed \(seed))</summary>\n\n"
            let ticks = fence(body)
            out += ticks + "text\n" + body + ticks + "\n\n</details>\n\n"
        }
        return out
    }

    /// The dumps verbatim under a `variant: file (seed N)` line each, for the terminal report.
    static func text(_ model: ReportModel) -> String {
        guard let seed = model.seeds.first else { return "" }
        return dumps(model).map { variant, name, body in "\(variant): \(name) (seed \(seed))\n" + body + "\n" }
            .joined()
    }

    /// (variant, file name, text ending in a newline) in column order, buddyinfo before
    /// pagetypeinfo; variants or files without a dump are skipped.
    private static func dumps(_ model: ReportModel) -> [(String, String, String)] {
        var result: [(String, String, String)] = []
        for variant in model.variants {
            guard let extras = model.firstRun(variant)?.extras else { continue }
            let files = [("/proc/buddyinfo", extras.buddyinfo), ("/proc/pagetypeinfo", extras.pagetypeinfo)]
            for (name, text) in files {
                guard let text, !text.isEmpty else { continue }
                result.append((variant, name, text.hasSuffix("\n") ? text : text + "\n"))
            }
        }
        return result
    }

    /// A code fence longer than any backtick run in `body`, so the dump cannot close it early.
    static func fence(_ body: String) -> String {
        var longest = 0
        var run = 0
        for c in body {
            run = c == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        return String(repeating: "`", count: max(3, longest + 1))
    }
}
