/// The `expect:` outcomes, one line each, failures first.
///
/// Failures lead because a failed expectation is why `buddylab run` exits 1, and the reader of
/// a CI log or a review wants that line before the passing ones. Within each half, file order.
enum ExpectationsSection {
    static func lines(_ expectations: [ExpectationLine], _ style: RenderStyle) -> [String] {
        let ordered = expectations.filter { !$0.passed } + expectations.filter(\.passed)
        return ordered.map { e in
            (e.passed ? style.pass : style.fail) + " " + e.text
                + (e.detail.map { " — " + $0 } ?? "")
        }
    }
}
