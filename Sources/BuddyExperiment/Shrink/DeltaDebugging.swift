/// Zeller and Hildebrandt's ddmin ("Simplifying and Isolating Failure-Inducing Input", TSE 2002):
/// reduces a list to a 1-minimal sublist that still passes `test` (removing any single element
/// makes it fail), unless the test budget runs out first.
public enum DeltaDebugging {
    public struct Result<Element> {
        public var kept: [Element]
        /// Tests run (each is one simulation).
        public var tests: Int
        /// True when the budget ran out before 1-minimality was shown.
        public var budgetExhausted: Bool
    }

    /// - Parameters:
    ///   - items: the input, which must pass `test`.
    ///   - budget: at most this many calls of `test`.
    ///   - test: true when a candidate (a sublist, order kept) still shows the behaviour.
    public static func ddmin<Element>(_ items: [Element], budget: Int, test: ([Element]) -> Bool) -> Result<Element> {
        var current = items
        var n = 2
        var tests = 0
        func run(_ candidate: [Element]) -> Bool? {
            guard tests < budget else { return nil }
            tests += 1
            return test(candidate)
        }
        while current.count >= 2 {
            let chunks = split(current, into: min(n, current.count))
            var reduced = false
            // Reduce to a subset…
            for chunk in chunks {
                guard let ok = run(chunk) else { return Result(kept: current, tests: tests, budgetExhausted: true) }
                if ok { current = chunk; n = 2; reduced = true; break }
            }
            // …or to a complement.
            if !reduced, chunks.count > 2 {
                for i in chunks.indices {
                    let complement = chunks.indices.filter { $0 != i }.flatMap { chunks[$0] }
                    guard let ok = run(complement) else { return Result(kept: current, tests: tests, budgetExhausted: true) }
                    if ok { current = complement; n = max(n - 1, 2); reduced = true; break }
                }
            }
            if !reduced {
                if n >= current.count { break }
                n = min(current.count, n * 2)
            }
        }
        // A single element may itself be removable (the empty list is a candidate too).
        if current.count == 1, let ok = run([]), ok { current = [] }
        return Result(kept: current, tests: tests, budgetExhausted: false)
    }

    /// `items` in `n` contiguous chunks of near-equal size.
    static func split<Element>(_ items: [Element], into n: Int) -> [[Element]] {
        var out: [[Element]] = []
        var start = 0
        for k in 0..<n {
            let end = start + (items.count - start) / (n - k)
            out.append(Array(items[start..<end]))
            start = end
        }
        return out.filter { !$0.isEmpty }
    }
}
