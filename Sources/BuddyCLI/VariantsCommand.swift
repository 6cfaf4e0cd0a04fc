import ArgumentParser
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
        var out = "| id | alignment | accounting | merge | era | free lists | isolation | reserves | upstream | summary |\n"
            + "|---|---|---|---|---|---|---|---|---|---|\n"
        for v in Variants.all {
            out += "| \(v.id) | \(v.alignment) | \(v.accounting) | \(v.merge) | \(v.era) | \(v.freeLists) "
                + "| \(v.isolation) | \(v.reserves) | \(v.upstream) | \(v.summary) |\n"
        }
        Console.out(out)
    }
}
