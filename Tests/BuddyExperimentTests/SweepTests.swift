import BuddyExperiment
import BuddyResults
import BuddyYAML
import Testing

/// Issue 14: `sweep:` expansion, substitution, per-point workloads, and the `--shard` partition.
@Suite struct SweepTests {
    static func sweepYAML(fill: String = "[20%, 40%]", size: String = "[2MiB, 4MiB]") -> String {
        """
        schema: 1
        name: sw
        sweep:
          fill: \(fill)
          size: \(size)
        machine:
          memory_block: 16MiB
          zones:
            - { name: Normal, size: 64MiB }
        variants: [linux-5.18, zi-yan-v11, linux-5.19]
        seeds: [3, 1]
        workload:
          - fill: { until: $fill, mix: { movable: 80%, unmovable: 20% } }
          - contig: { count: 3, size: $size }
        """
    }

    /// The same experiment with the point's values written in place.
    static func literalYAML(fill: String, size: String) -> String {
        sweepYAML().replacingOccurrences(of: "$fill", with: fill).replacingOccurrences(of: "$size", with: size)
            .replacingOccurrences(of: "sweep:\n  fill: [20%, 40%]\n  size: [2MiB, 4MiB]\n", with: "")
    }

    @Test func pointsAreTheMatrixFirstParameterSlowest() throws {
        let points = try Experiment.decodePoints(yaml: Self.sweepYAML())
        #expect(points.map { $0.point?.label } == [
            "fill=20% size=2MiB", "fill=20% size=4MiB", "fill=40% size=2MiB", "fill=40% size=4MiB"])
        #expect(points.map { $0.point?.index } == [0, 1, 2, 3])
        #expect(points.allSatisfy { $0.point?.parameters == ["fill", "size"] })
        #expect(points[3].point?.values == ["fill": "40%", "size": "4MiB"])
        // Experiment.load/decode on a sweep file gives its first point.
        #expect(try Experiment.decode(yaml: Self.sweepYAML()).point?.index == 0)
    }

    /// A point decodes to exactly what the file with the values written in would decode to.
    @Test func substitutedPointEqualsTheLiteralFile() throws {
        let points = try Experiment.decodePoints(yaml: Self.sweepYAML())
        for p in points {
            let values = try #require(p.point?.values)
            let literal = try Experiment.decode(yaml: Self.literalYAML(fill: values["fill"]!, size: values["size"]!))
            #expect(literal.point == nil)
            #expect(p.workload == literal.workload)
            #expect(p.machine == literal.machine)
            #expect(p.variants == literal.variants && p.seeds == literal.seeds)
            #expect(WorkloadGenerator.generate(p, seed: 3).sha256 == WorkloadGenerator.generate(literal, seed: 3).sha256)
        }
    }

    /// Each point has its own request stream (hash per point); within a point every variant runs
    /// the same one.
    @Test func workloadHashPerPointSharedByVariants() throws {
        let points = try Experiment.decodePoints(yaml: Self.sweepYAML())
        let hashes = points.map { WorkloadGenerator.generate($0, seed: 1).sha256 }
        #expect(Set(hashes).count == 4)
        let tasks = SweepTask.all(points: points.count, seeds: 2, variants: 3)
        let run = SweepRunner(jobs: 2).run(points: points, tasks: tasks)
        #expect(run.results.count == 24)
        for (task, result) in run.results {
            #expect(result.point == points[task.point].point)
            #expect(result.workloadSHA256 == WorkloadGenerator.generate(points[task.point], seed: result.seed).sha256)
        }
    }

    @Test func quotedDollarIsALiteralString() throws {
        let yaml = Self.sweepYAML().replacingOccurrences(of: "until: $fill", with: "until: \"$fill\"")
            .replacingOccurrences(of: "fill: [20%, 40%]", with: "fill: [20%]")
        let error = decodeError(yaml)
        // `$fill` quoted is not a reference: fill is then unused, reported at its name.
        #expect(error?.description == "t.yaml:4:3: sweep parameter 'fill' is not used: reference it as $fill in machine: or workload:")
    }

    @Test func sweepShapeErrorsAreLocated() {
        #expect(decodeError(Self.sweepYAML(fill: "20%"))?.description
                == "t.yaml:4:9: sweep parameter 'fill' must be a list of values, found '20%'")
        #expect(decodeError(Self.sweepYAML(size: "[2MiB, [4MiB]]"))?.description
                == "t.yaml:5:16: sweep values must be scalars (a size, a percentage, a number...), found a sequence")
        let badName = Self.sweepYAML().replacingOccurrences(of: "  size: [2MiB, 4MiB]", with: "  Size: [2MiB, 4MiB]")
        #expect(decodeError(badName)?.description
                == "t.yaml:5:3: sweep parameter names are [a-z][a-z0-9_]* (referenced as $name), found 'Size'")
        // 101 × 100 = 10 100 points: refused at the list that crosses 10 000.
        let fills = "[" + (0...100).map { "\($0)%" }.joined(separator: ", ") + "]"
        let sizes = "[" + (1...100).map { "\($0 * 2)MiB" }.joined(separator: ", ") + "]"
        #expect(decodeError(Self.sweepYAML(fill: fills, size: sizes))?.description
                == "t.yaml:5:9: the sweep expands into more than 10000 points")
        #expect(decodeError(Self.sweepYAML().replacingOccurrences(of: "sweep:\n  fill: [20%, 40%]\n  size: [2MiB, 4MiB]",
                                                                  with: "sweep: [fill]"))?.description.hasPrefix(
                "t.yaml:3:8: sweep must be a mapping of parameter names to lists of values") == true)
    }

    // MARK: - Shards

    /// Shards 0..<N are disjoint and their union is exactly the task set, for several N
    /// (including N larger than the task count); sizes differ by at most one.
    @Test(arguments: [1, 2, 3, 4, 5, 7, 16, 36, 50])
    func shardsPartitionTheTasks(n: Int) {
        let all = SweepTask.all(points: 4, seeds: 3, variants: 3)
        #expect(all.count == 36 && Set(all).count == 36)
        let shards = (0..<n).map { Shard(index: $0, count: n).select(all) }
        var seen = Set<SweepTask>()
        for shard in shards {
            for task in shard { #expect(seen.insert(task).inserted, "task \(task) in two shards") }
        }
        #expect(seen == Set(all))
        let sizes = shards.map(\.count)
        #expect((sizes.max() ?? 0) - (sizes.min() ?? 0) <= 1)
        // Round robin over the canonical order: task k is in shard k mod N.
        for (k, task) in all.enumerated() { #expect(shards[k % n].contains(task)) }
    }

    @Test func shardFlagParsing() throws {
        #expect(try Shard(parsing: "2/5") == Shard(index: 2, count: 5))
        for bad in ["5/5", "-1/2", "1/0", "a/b", "1", "1/2/3", ""] {
            #expect(throws: ShardError.self) { try Shard(parsing: bad) }
        }
    }

    /// A shard's results do not depend on `--jobs`, and the shards' results together are the
    /// unsharded run's, record for record (timing aside).
    @Test func shardResultsIndependentOfJobsAndUnionIsTheFullRun() throws {
        let points = try Experiment.decodePoints(yaml: Self.sweepYAML())
        let all = SweepTask.all(points: points.count, seeds: 2, variants: 3)
        func timeless(_ r: RunResult) -> RunResult { var r = r; r.timing = nil; return r }
        let full = SweepRunner(jobs: 2).run(points: points, tasks: all).results
        var union: [SweepTask: RunResult] = [:]
        for i in 0..<3 {
            let tasks = Shard(index: i, count: 3).select(all)
            let one = SweepRunner(jobs: 1).run(points: points, tasks: tasks).results
            let three = SweepRunner(jobs: 3).run(points: points, tasks: tasks).results
            #expect(one.map(\.task) == tasks)
            #expect(one.map { timeless($0.run) } == three.map { timeless($0.run) })
            for (task, run) in one { union[task] = timeless(run) }
        }
        #expect(union.count == full.count)
        for (task, run) in full { #expect(union[task] == timeless(run)) }
    }
}
