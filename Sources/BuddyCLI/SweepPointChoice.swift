import BuddyExperiment

/// `--point K` of `diverge` and `shrink`: which point of a `sweep:` file to work on. Without it a
/// sweep's first point is used and the output says so (a sweep holds several experiments; a
/// silent choice would hide which one was examined).
struct SweepPointChoice {
    let experiment: Experiment
    /// "sweep point K of N (name=value …)" for a sweep file, nil for a plain experiment.
    let note: String?

    /// Loads `path` and picks point `point` (nil: the first). Bad input (a point out of range,
    /// `--point` on a file without `sweep:`) is a `BadInput` naming the flag.
    static func load(_ path: String, point: Int?) throws -> SweepPointChoice {
        let points: [Experiment]
        do { points = try Experiment.loadPoints(contentsOf: path) } catch { throw BadInput(String(describing: error)) }
        guard points[0].point != nil else {
            if let point { throw BadInput("--point \(point): \(path) has no sweep: section (it is one experiment)") }
            return SweepPointChoice(experiment: points[0], note: nil)
        }
        let k = point ?? 0
        guard points.indices.contains(k) else {
            throw BadInput("--point \(k): \(path) has sweep points 0…\(points.count - 1)")
        }
        let label = points[k].point.map(\.label) ?? ""
        let how = point == nil ? " (the first; choose another with --point K)" : ""
        return SweepPointChoice(experiment: points[k], note: "sweep point \(k) of \(points.count): \(label)\(how)")
    }
}
