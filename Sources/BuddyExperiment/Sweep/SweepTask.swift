/// One unit of work of `buddylab run`: a variant on one seed of one sweep point.
///
/// Indices, not values: `point` into the point list (matrix order), `seed` into the seed list
/// (file order), `variant` into the selected variants (registry order). Every point of one run
/// shares the same variants and seeds.
public struct SweepTask: Sendable, Hashable, Comparable {
    public var point: Int
    public var seed: Int
    public var variant: Int

    public init(point: Int, seed: Int, variant: Int) {
        self.point = point; self.seed = seed; self.variant = variant
    }

    public static func < (a: SweepTask, b: SweepTask) -> Bool {
        (a.point, a.seed, a.variant) < (b.point, b.seed, b.variant)
    }

    /// Every task in canonical order: points in matrix order, then seeds in file order, then
    /// variants in registry order.
    public static func all(points: Int, seeds: Int, variants: Int) -> [SweepTask] {
        var tasks: [SweepTask] = []
        tasks.reserveCapacity(points * seeds * variants)
        for p in 0..<points { for s in 0..<seeds { for v in 0..<variants {
            tasks.append(SweepTask(point: p, seed: s, variant: v))
        } } }
        return tasks
    }
}

/// `--shard I/N`: which 1/N of the tasks one process runs.
///
/// Task k of the canonical order (`SweepTask.all`) belongs to shard k mod N. Round robin over
/// that order spreads every point — and so the expensive ones, e.g. a 1 TiB machine — over all
/// shards, and the partition depends only on the experiment, the selected variants and seeds and
/// N: never on `--jobs`, the host or the scheduling. Shards 0..<N are disjoint and together are
/// exactly the task set.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    public var index: Int
    public var count: Int

    /// - Throws: a message for the `--shard` flag when `I/N` is malformed or `I` is not in 0..<N.
    public init(parsing text: String) throws(ShardError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else {
            throw ShardError(message: "--shard takes I/N (e.g. 0/4), found '\(text)'")
        }
        guard n >= 1, n <= 1_000_000 else { throw ShardError(message: "--shard I/N: N must be 1...1000000, found \(n)") }
        guard (0..<n).contains(i) else {
            throw ShardError(message: "--shard I/N: I must be 0...\(n - 1) (shards count from 0), found \(i)")
        }
        index = i; count = n
    }

    public init(index: Int, count: Int) {
        precondition(count >= 1 && (0..<count).contains(index))
        self.index = index; self.count = count
    }

    /// The tasks of this shard, in canonical order.
    public func select(_ tasks: [SweepTask]) -> [SweepTask] {
        tasks.enumerated().compactMap { $0.offset % count == index ? $0.element : nil }
    }

    public var description: String { "\(index)/\(count)" }
}

public struct ShardError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}
