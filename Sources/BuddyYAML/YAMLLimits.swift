/// Resource limits that keep a hostile or mistaken file from hanging or exhausting the machine.
///
/// Both defaults come from measurements on libyaml 0.2.5 (toolchain-notes §2): flow nesting
/// `[[[…` gets super-linearly slow inside libyaml itself (47 s at 80k levels), and an alias
/// "billion laughs" file expands to 10⁹ nodes from a few hundred bytes. Stopping at depth 257 or
/// at the millionth materialised node turns both into an immediate, located error.
public struct YAMLLimits: Sendable, Hashable {
    /// Deepest allowed nesting of sequences and mappings (the root collection is depth 1).
    public var maxDepth: Int
    /// Most nodes the document may expand to, counting every node an alias copies.
    public var maxNodes: Int

    public init(maxDepth: Int = 256, maxNodes: Int = 1_000_000) {
        self.maxDepth = maxDepth
        self.maxNodes = maxNodes
    }

    /// Depth 256 and one million nodes: far beyond any experiment file, far below trouble.
    public static let `default` = YAMLLimits()
}
