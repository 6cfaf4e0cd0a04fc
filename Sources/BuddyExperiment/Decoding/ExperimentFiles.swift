import BuddyYAML
import Dispatch
import Foundation

/// Loads several experiment files side by side (`buddylab run A.yaml B.yaml …`), with the
/// outcome of loading them one after another.
///
/// Why: `run` decodes every file — the traces' decode passes included — before anything runs,
/// so bad input is refused before a result is written. One after another that was 0.55 s of
/// the bundled suite's 4.6 s with one core idle (issue 25).
///
/// What keeps it the serial outcome: a trace read from a pipe (`/dev/stdin`, a FIFO) is read
/// once, by the first experiment that names it, and a second one is refused naming the first
/// (`PipeClaims`). Side by side, a later file could reach the pipe first. So a file about to
/// read a pipe first waits until every earlier file has loaded (`LoadOrder`), and does not read
/// it at all when an earlier file failed (serially, the run stopped there). Files read no pipe
/// otherwise, so their order does not matter.
public enum ExperimentFiles {
    /// Each file's sweep points (`Experiment.loadPoints`) or its error, in `paths`' order;
    /// `jobs` files at a time.
    public static func loadPoints(_ paths: [String], jobs: Int) -> [Result<[Experiment], YAMLDecodeError>] {
        let order = LoadOrder(count: paths.count)
        let results = ResultSlots(count: paths.count)
        let next = Counter()
        DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, paths.count))) { _ in
            // Files are taken in increasing order, so an earlier file a pipe reader waits for is
            // already being loaded by another worker: the wait always ends.
            while let i = next.take(below: paths.count) {
                let outcome = LoadOrder.$current.withValue((order, i)) {
                    Result { () throws(YAMLDecodeError) in try Experiment.loadPoints(contentsOf: paths[i]) }
                }
                results.set(i, outcome)
                order.finish(i, failed: (try? outcome.get()) == nil)
            }
        }
        return results.all()
    }
}

/// Which files have finished loading, for a file about to read a pipe (`ExperimentFiles`).
final class LoadOrder: @unchecked Sendable {
    /// The loader and file index of the load running on this thread; nil outside
    /// `ExperimentFiles.loadPoints` (one file: nothing to wait for).
    @TaskLocal static var current: (LoadOrder, Int)?

    private let condition = NSCondition()
    private var finished: [Bool]
    private var anyFailedBefore: [Bool]

    init(count: Int) {
        finished = Array(repeating: false, count: count)
        anyFailedBefore = Array(repeating: false, count: count + 1)
    }

    func finish(_ i: Int, failed: Bool) {
        condition.lock()
        finished[i] = true
        if failed { for j in (i + 1)..<anyFailedBefore.count { anyFailedBefore[j] = true } }
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until files `0..<i` have loaded; false when one of them failed.
    func waitForEarlierFiles(_ i: Int) -> Bool {
        condition.lock(); defer { condition.unlock() }
        while !finished[..<i].allSatisfy({ $0 }) { condition.wait() }
        return !anyFailedBefore[i]
    }

    /// Called before a trace is read from a pipe: in a side-by-side load, waits for the earlier
    /// files; false when one failed (the caller then reads nothing: serially, it never ran).
    static func mayReadPipe() -> Bool {
        guard let (order, i) = current else { return true }
        return order.waitForEarlierFiles(i)
    }
}

/// One result slot per file, filled by the workers.
private final class ResultSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<[Experiment], YAMLDecodeError>?]
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: Result<[Experiment], YAMLDecodeError>) { lock.withLock { slots[i] = r } }
    func all() -> [Result<[Experiment], YAMLDecodeError>] { lock.withLock { slots.map { $0! } } }
}

/// The next file index to load, handed out in increasing order.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func take(below n: Int) -> Int? {
        lock.withLock {
            guard value < n else { return nil }
            defer { value += 1 }
            return value
        }
    }
}
