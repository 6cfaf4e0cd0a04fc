import BuddyResults

/// The two output flavours. Sections build the same `Table`s for both; only markers differ
/// (markdown emphasis and emoji vs plain ASCII words that survive any terminal).
enum RenderStyle: Sendable {
    case markdown, text

    /// ✅ / PASS.
    var pass: String { self == .markdown ? "✅" : "PASS" }
    /// ❌ / FAIL.
    var fail: String { self == .markdown ? "❌" : "FAIL" }
    /// A missing value.
    var missing: String { "–" }

    /// An inline code span in markdown, the bare text otherwise.
    func code(_ s: String) -> String { self == .markdown ? "`" + s + "`" : s }

    /// Bold in markdown, the bare text otherwise.
    func bold(_ s: String) -> String { self == .markdown ? "**" + s + "**" : s }
}

extension Polarity {
    /// The "better" column: ↑ higher is better, ↓ lower is better, →0 closer to zero is better,
    /// blank for informational metrics.
    var arrow: String {
        switch self {
        case .higherIsBetter: return "↑"
        case .lowerIsBetter: return "↓"
        case .zeroIsBetter: return "→0"
        case .neutral: return ""
        }
    }
}
