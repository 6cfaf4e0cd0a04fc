import BuddyResults

/// The outcome of one `expect:` entry.
public struct ExpectationOutcome: Sendable, Equatable {
    /// The expectation as written, e.g. `linux-5.18: contig_successes equals 0`.
    public var text: String
    public var passed: Bool
    /// True when nothing could be checked because the variant (or, for a comparison, the other
    /// variant) was not run — e.g. `--variants` left it out. A skipped expectation counts as passed.
    public var skipped: Bool
    /// What was observed where it failed (`linux-5.18 seed 2: got 3`), or why it was skipped.
    public var detail: String?
    /// Line of the entry in the experiment file.
    public var line: Int

    public init(text: String, passed: Bool, skipped: Bool = false, detail: String? = nil, line: Int) {
        self.text = text; self.passed = passed; self.skipped = skipped; self.detail = detail; self.line = line
    }
}

/// Evaluates `expect:` against the runs of one experiment.
///
/// An expectation holds only if it holds for every seed (and, for `variant: all`, every variant
/// that ran): a regression test that passes on seed 1 and fails on seed 3 has found something.
public enum Expectations {
    /// One outcome per expectation, in file order.
    public static func evaluate(_ expectations: [Expectation], runs: [RunResult]) -> [ExpectationOutcome] {
        expectations.map { evaluate($0, runs: runs) }
    }

    /// Whether every outcome passed (the CLI's exit status 1 when not).
    public static func allPassed(_ outcomes: [ExpectationOutcome]) -> Bool {
        outcomes.allSatisfy(\.passed)
    }

    public static func evaluate(_ e: Expectation, runs: [RunResult]) -> ExpectationOutcome {
        let subjects = runs.filter { e.variant == nil || $0.variant == e.variant }
        guard !subjects.isEmpty else {
            return ExpectationOutcome(text: e.text, passed: true, skipped: true,
                                      detail: "skipped: \(e.variant ?? "no variant") was not run", line: e.line)
        }
        var failures: [String] = []
        var skips: [String] = []
        for run in subjects {
            let who = "\(run.variant) seed \(run.seed)"
            switch e.check {
            case .op(let index, let expected):
                guard let op = run.ops.first(where: { $0.index == index }) else {
                    failures.append("\(who): op \(index) has no recorded result"); continue
                }
                if op.result != expected {
                    failures.append("\(who): got \(op.result)" + (op.detail.map { " (\($0))" } ?? ""))
                }
            case .metric(let name, let comparisons):
                guard let value = run.metrics[name] else { failures.append("\(who): \(name) not reported"); continue }
                // `variant: all` against a peer means every *other* variant: the peer compared
                // with itself would fail `less_than`/`greater_than` by definition.
                for c in comparisons where !(e.variant == nil && c.peer == run.variant) {
                    switch check(c, value: value, metric: name, run: run, runs: runs) {
                    case .pass: break
                    case .fail(let why): failures.append("\(who): \(why)")
                    case .skip(let why): skips.append(why)
                    }
                }
            }
        }
        if !failures.isEmpty {
            let shown = failures.prefix(5).joined(separator: "; ")
            let more = failures.count > 5 ? "; and \(failures.count - 5) more" : ""
            return ExpectationOutcome(text: e.text, passed: false, detail: shown + more, line: e.line)
        }
        if let why = skips.first {
            return ExpectationOutcome(text: e.text, passed: true, skipped: true, detail: "skipped: \(why)", line: e.line)
        }
        return ExpectationOutcome(text: e.text, passed: true, line: e.line)
    }

    private enum Verdict { case pass, fail(String), skip(String) }

    private static func check(_ c: Expectation.Comparison, value: Int, metric: String, run: RunResult,
                              runs: [RunResult]) -> Verdict {
        func bound(_ ok: Bool, _ wanted: String) -> Verdict { ok ? .pass : .fail("got \(value), expected \(wanted)") }
        switch c {
        case .equals(let n): return bound(value == n, "\(n)")
        case .notEquals(let n): return bound(value != n, "anything but \(n)")
        case .min(let n): return bound(value >= n, "at least \(n)")
        case .max(let n): return bound(value <= n, "at most \(n)")
        case .lessThanVariant(let other), .greaterThanVariant(let other), .equalsVariant(let other):
            guard let peer = runs.first(where: { $0.variant == other && $0.seed == run.seed }),
                  let theirs = peer.metrics[metric] else { return .skip("\(other) seed \(run.seed) was not run") }
            switch c {
            case .lessThanVariant: return bound(value < theirs, "less than \(other)'s \(theirs)")
            case .greaterThanVariant: return bound(value > theirs, "greater than \(other)'s \(theirs)")
            default: return bound(value == theirs, "equal to \(other)'s \(theirs)")
            }
        }
    }
}
