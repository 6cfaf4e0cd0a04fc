/// A sequence or mapping whose end event has not arrived yet.
///
/// A class on purpose: the loader appends to the innermost open collection once per event.
/// With value-type frames (pop, mutate, push) every append copied the whole array and a
/// 200k-key mapping took ten minutes; with a reference it is linear (toolchain-notes §2, pitfall 11).
final class OpenCollection {
    enum Shape {
        case sequence
        case mapping
    }

    let shape: Shape
    let tag: String?
    let anchor: String?
    let mark: YAMLMark
    var items: [YAMLNode] = []
    var pairs: [(key: YAMLNode, value: YAMLNode)] = []
    /// The key read last in a mapping, waiting for its value.
    var pendingKey: YAMLNode?
    /// Scalar keys seen so far: a `Set`, so duplicate detection stays O(1) per key.
    var scalarKeys: Set<String> = []
    /// Nodes in this subtree so far, itself included; an alias of it costs this much budget.
    var nodeCount = 1

    init(shape: Shape, tag: String?, anchor: String?, mark: YAMLMark) {
        self.shape = shape
        self.tag = tag
        self.anchor = anchor
        self.mark = mark
    }

    /// The finished node, once the end event arrives.
    func node() -> YAMLNode {
        switch shape {
        case .sequence: return YAMLNode(kind: .sequence(items), tag: tag, mark: mark)
        case .mapping: return YAMLNode(kind: .mapping(pairs), tag: tag, mark: mark)
        }
    }
}
