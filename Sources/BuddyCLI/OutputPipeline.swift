import Dispatch
import Foundation

/// `buddylab run` over several experiments writes one experiment's outputs (results store,
/// report, SVG, summary) on a background thread while the next experiment simulates.
///
/// Why: the outputs are serial work on one thread (0.1–0.2 s per large experiment: the
/// pageblock heatmap, the store's syncs), during which the second core sat idle; over the
/// bundled suite that was a quarter of the wall time (issue 25, `vmstat` 20–39 % idle).
///
/// At most one experiment's outputs are in flight: `submit` first waits for the previous step,
/// so outputs keep the experiments' order and a process holds the results of at most one
/// finished experiment beside the running one. A step that throws stops the pipeline: `submit`
/// and `finish` rethrow its error and no later step runs, as when `run` wrote outputs inline.
/// The step runs with the caller's `Console.capture` bound (a task-local the background thread
/// would not see), so in-process callers capture its text as before.
final class OutputPipeline: @unchecked Sendable {
    typealias Step = @Sendable () throws -> (passed: Bool, stored: Bool)
    private let done = DispatchSemaphore(value: 0)
    private var inFlight = false
    /// Written by the background step before it signals `done`; read after `wait()`.
    private var outcome: Result<(passed: Bool, stored: Bool), any Error>?
    private(set) var allPassed = true
    private(set) var allStored = true

    /// Waits for the step in flight (if any) and records its outcome; rethrows its error.
    func drain() throws {
        guard inFlight else { return }
        done.wait()
        inFlight = false
        switch outcome! {
        case .success(let r): allPassed = allPassed && r.passed; allStored = allStored && r.stored
        case .failure(let error): throw error
        }
    }

    /// Starts `step` in the background once the previous step has finished.
    func submit(_ step: @escaping Step) throws {
        try drain()
        let capture = Console.capture
        inFlight = true
        DispatchQueue.global().async { [self] in
            outcome = Console.$capture.withValue(capture) { Result { try step() } }
            done.signal()
        }
    }

    /// Waits for the last step; rethrows its error.
    func finish() throws { try drain() }
}
