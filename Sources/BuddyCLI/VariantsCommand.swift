import ArgumentParser
import BuddyVariants

/// `buddylab variants`: id, strategies per axis, upstream reference, summary.
struct VariantsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "variants", abstract: "List the variants: id, strategy per axis, upstream reference, summary.")

    func run() throws {
        print("| id | alignment | accounting | merge | era | upstream | summary |")
        print("|---|---|---|---|---|---|---|")
        for v in Variants.all {
            print("| \(v.id) | \(v.alignment) | \(v.accounting) | \(v.merge) | \(v.era) | \(v.upstream) | \(v.summary) |")
        }
    }
}
