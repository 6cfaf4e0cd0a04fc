import ArgumentParser
import BuddyCore
import BuddyVariants

/// `buddylab variants`: id, strategies per axis, upstream reference, summary.
struct VariantsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "variants", abstract: "List the variants: id, strategy per axis, upstream reference, summary.",
        discussion: """
        A markdown table in registry order (the order of report columns). The ids are \
        what --variants and an experiment's variants: list take.

        Examples:
          buddylab variants
          buddylab variants | grep pageblock      # the designs with pageblock alignment
        """)

    func run() throws {
        Console.out(Self.table())
    }

    /// The table: axes, upstream, summary, then what the variant models exactly, which running
    /// kernel checked it, and the counters its design declares may drift (DeclaredDrift.swift).
    static func table() -> String {
        var out = "| id | alignment | accounting | merge | era | free lists | isolation | reserves | defrag | upstream | summary | models | checked against | may drift |\n"
            + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
        for v in Variants.all {
            let m = Variants.model(v.id)
            let drift = declaredDrift(v.strategies).names
            out += "| \(v.id) | \(v.alignment) | \(v.accounting) | \(v.merge) | \(v.era) | \(v.freeLists) "
                + "| \(v.isolation) | \(v.reserves) | \(v.defrag) | \(v.upstream) | \(v.summary) | \(m.models) | \(m.checked) "
                + "| \(drift.isEmpty ? "nothing" : drift.joined(separator: ", ")) |\n"
        }
        return out
    }

    static func declaredDrift<S: StrategySet>(_: S.Type) -> DriftingCounters { S.declaredDrift }
}
