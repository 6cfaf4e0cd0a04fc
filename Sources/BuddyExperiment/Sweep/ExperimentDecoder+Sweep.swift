import BuddyYAML

extension ExperimentDecoder {
    /// The experiment of every sweep point, in matrix order; one experiment (no `point`) for a
    /// file without `sweep:`.
    ///
    /// References are checked once, against the original tree (unknown `$name` at the reference,
    /// an unused parameter at its name). Each point is then decoded with its values substituted;
    /// an error inside a point keeps the location of the offending node — the value in the
    /// `sweep:` list, or the key that does not fit it — and says which point it was.
    func decodePoints(_ root: YAMLNode, sha256: String) throws(YAMLDecodeError) -> [Experiment] {
        let m = try reader.mapping(root).allowing(Self.keys)
        let sweep = try m.optional("sweep").map { (node) throws(YAMLDecodeError) in
            try SweepDecoder(reader: reader).decode(node)
        }
        try SweepSubstitution.check([m.optional("machine"), m.optional("workload")].compactMap { $0 },
                                    sweep: sweep, reader: reader)
        guard let sweep else { return [try decode(root, sha256: sha256)] }
        var points: [Experiment] = []
        points.reserveCapacity(sweep.pointCount)
        for index in 0..<sweep.pointCount {
            let point = sweep.point(index)
            do throws(YAMLDecodeError) {
                var e = try decode(root, sha256: sha256, bindings: sweep.bindings(ofPoint: index))
                e.point = point
                points.append(e)
            } catch {
                var located = error
                located.message += " (sweep point \(point.label))"
                throw located
            }
            // Seeds and variants are the same at every point (no $name there): the run count
            // is known from the first point, before the other points are decoded.
            let runs = sweep.pointCount * points[0].seeds.count * max(1, points[0].variants.count)
            if index == 0, runs > Sweep.maxRuns {
                throw YAMLDecodeError(file: reader.file, mark: m.keyMark("sweep"),
                                      message: "the sweep is \(sweep.pointCount) points × \(points[0].seeds.count) seeds × "
                                      + "\(points[0].variants.count) variants = \(runs) runs, more than \(Sweep.maxRuns)")
            }
        }
        return points
    }
}
