import BuddyResults
import BuddyYAML

/// The `sweep:` section: named, list-valued parameters that the machine and the workload
/// reference as `$name`, expanded into the matrix of their values (one *point* per combination).
///
/// ```yaml
/// sweep:
///   fill: [20%, 40%, 60%, 80%]
///   contig_size: [2MiB, 4MiB]
/// workload:
///   - fill: { until: $fill }
///   - contig: { count: 40, size: $contig_size }
/// ```
/// Points are in matrix order with the first parameter slowest (fill=20% contig_size=2MiB,
/// fill=20% contig_size=4MiB, fill=40% …). Every point is decoded as a full experiment with the
/// value nodes put in place of the references, so each value is checked by the same reader as a
/// literal would be, and an error in it points at the value in the `sweep:` list.
public struct Sweep: Sendable, Equatable {
    /// One `name: [values]` entry.
    public struct Parameter: Sendable, Equatable {
        public var name: String
        /// Where the name is written (unused-parameter errors point here).
        public var mark: YAMLMark
        /// The value nodes as written (scalars), in list order.
        public var values: [YAMLNode]
    }

    /// Parameters in file order.
    public var parameters: [Parameter]

    /// Most points one sweep may expand into.
    public static let maxPoints = 10_000
    /// Most runs (points × seeds × variants) one sweep may ask for: every run is a task of
    /// `run --shard` planned up front (10,000 points × 10,000 seeds planned 38 GB of tasks).
    public static let maxRuns = 1_000_000

    /// Number of points: the product of the value counts.
    public var pointCount: Int { parameters.reduce(1) { $0 * $1.values.count } }

    /// The value index of every parameter at point `index` (matrix order, first parameter slowest).
    public func valueIndices(ofPoint index: Int) -> [Int] {
        var rest = index
        var indices = Array(repeating: 0, count: parameters.count)
        for p in parameters.indices.reversed() {
            indices[p] = rest % parameters[p].values.count
            rest /= parameters[p].values.count
        }
        return indices
    }

    /// Name → value node at point `index`: what `SweepSubstitution` puts in place of `$name`.
    func bindings(ofPoint index: Int) -> [String: YAMLNode] {
        var out: [String: YAMLNode] = [:]
        for (p, v) in zip(parameters, valueIndices(ofPoint: index)) { out[p.name] = p.values[v] }
        return out
    }

    /// The record's view of point `index`: values as written.
    public func point(_ index: Int) -> RunPoint {
        var values: [String: String] = [:]
        for (p, v) in zip(parameters, valueIndices(ofPoint: index)) { values[p.name] = p.values[v].scalar ?? "" }
        return RunPoint(index: index, parameters: parameters.map(\.name), values: values)
    }
}
