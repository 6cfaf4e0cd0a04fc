import Foundation

/// A progress line on stderr for work that takes long enough to look like a hang: runs of an
/// experiment (with the events simulated inside them), shrink's simulations, the stages of an
/// oracle session. The contract: progress goes to stderr only when it is a terminal, or with
/// `--progress`; results never mix with it (stdout stays clean).
///
/// Thread-safe: the runner's workers report concurrently. Lines are redrawn in place (`\r`) on a
/// terminal and at most every `interval` seconds; when stderr is not a terminal (`--progress`
/// into a log) each update is its own line, at most every `interval` seconds, so a log shows
/// the pace without flooding.
final class ProgressMeter: @unchecked Sendable {
    private let lock = NSLock()
    private let label: String
    private let interval: Double
    private let inPlace: Bool
    private let start = Date()
    private var lastDraw = Date.distantPast
    private var runsDone = 0, runsTotal = 0
    private var events = 0
    private var drewInPlace = false

    /// Nil when progress is off: stderr is not a terminal and `--progress` was not given.
    static func make(_ label: String, forced: Bool, interval: Double = 0.5) -> ProgressMeter? {
        let tty = isatty(STDERR_FILENO) == 1
        guard forced || tty else { return nil }
        return ProgressMeter(label, interval: tty ? interval : max(interval, 5), inPlace: tty)
    }

    private init(_ label: String, interval: Double, inPlace: Bool) {
        self.label = label; self.interval = interval; self.inPlace = inPlace
    }

    var elapsed: Double { Date().timeIntervalSince(start) }

    /// The runner's two callbacks, bound to this meter.
    var onRuns: @Sendable (Int, Int) -> Void { { [self] in runs(done: $0, total: $1) } }
    var onEvents: @Sendable (Int) -> Void { { [self] in events($0) } }

    /// A finished run (the runner's `progress` callback).
    func runs(done: Int, total: Int) {
        lock.withLock { runsDone = done; runsTotal = total; draw(force: done == total) }
    }

    /// Events simulated since the last call (the runner's `events` callback).
    func events(_ n: Int) {
        lock.withLock { events += n; draw(force: false) }
    }

    /// A free-form status (shrink, oracle stages).
    func status(_ text: String, force: Bool = false) {
        lock.withLock { write(text, force: force) }
    }

    /// Ends an in-place line so the next output starts on a line of its own.
    func finish() {
        lock.withLock { if drewInPlace { FileHandle.standardError.write(Data("\n".utf8)); drewInPlace = false } }
    }

    private func draw(force: Bool) {
        var text = "\(runsDone)/\(runsTotal) runs"
        if events > 0 {
            let t = max(elapsed, 1e-3)
            text += String(format: ", %.1f M events simulated (%.1f M/s)", Double(events) / 1e6, Double(events) / 1e6 / t)
        }
        write(text, force: force)
    }

    private func write(_ text: String, force: Bool) {
        let now = Date()
        guard force || now.timeIntervalSince(lastDraw) >= interval else { return }
        lastDraw = now
        let line = "\(label): \(text), \(Self.clock(elapsed))"
        if inPlace {
            // Clear to the end of the line: a shorter line must not leave the old one's tail.
            FileHandle.standardError.write(Data("\r\(line)\u{1B}[K".utf8)); drewInPlace = true
        } else {
            FileHandle.standardError.write(Data("\(line)\n".utf8))
        }
    }

    static func clock(_ s: Double) -> String {
        let t = Int(s.rounded(.down))
        return t < 60 ? String(format: "%.1f s", s) : String(format: "%dm%02ds", t / 60, t % 60)
    }
}
