/// The engine's `/proc/buddyinfo` and `/proc/pagetypeinfo` renderings of the final state.
///
/// The engine formats them exactly like the kernel (so they can be compared with a real machine's
/// files); the report only folds them, one `<details>` per variant and file, since they are long
/// and only needed when a number in the tables looks wrong.
enum ProcDumps {
    static func markdown(_ model: ReportModel) -> String {
        guard let seed = model.seeds.first else { return "" }
        var out = ""
        for variant in model.variants {
            guard let extras = model.firstRun(variant)?.extras else { continue }
            let files = [("/proc/buddyinfo", extras.buddyinfo), ("/proc/pagetypeinfo", extras.pagetypeinfo)]
            for (name, text) in files {
                guard let text, !text.isEmpty else { continue }
                let body = text.hasSuffix("\n") ? text : text + "\n"
                out += "<details><summary>\(variant): \(name) (seed \(seed))</summary>\n\n"
                let ticks = fence(body)
                out += ticks + "text\n" + body + ticks + "\n\n</details>\n\n"
            }
        }
        return out
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
