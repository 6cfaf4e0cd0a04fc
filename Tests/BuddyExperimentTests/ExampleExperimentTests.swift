import BuddyExperiment
import Foundation
import Testing

/// Every experiment shipped in `experiments/` must decode, so the examples cannot rot.
/// New files are picked up automatically.
@Suite struct ExampleExperimentTests {
    @Test func experimentsDirectoryHasFiles() {
        #expect(!Paths.yamlFiles(in: Paths.experiments).isEmpty)
    }

    @Test(arguments: Paths.yamlFiles(in: Paths.experiments))
    func decodes(_ url: URL) throws {
        let experiment = try Experiment.load(contentsOf: url.path)
        #expect(!experiment.variants.isEmpty)
        #expect(experiment.variants.contains(experiment.baseline))
        #expect(experiment.eventBound <= Experiment.maxEvents)
        #expect(experiment.sourceSHA256.count == 64)
    }

    @Test func smokeHasTheAdvertisedShape() throws {
        let e = try Experiment.load(contentsOf: Paths.experiments.appendingPathComponent("smoke.yaml").path)
        #expect(e.name == "smoke")
        #expect(e.seeds == [1, 2])
        #expect(e.machine.layout.zones.map(\.name) == ["Normal"])
        #expect(e.machine.layout.totalPages == 65536)
        #expect(e.scriptedOps.map(\.keyword) == ["isolate", "watermark", "unisolate", "alloc", "free"])
        #expect(e.baseline == "linux-5.18")
    }

    /// The example of the contract (`Fixtures/contract-example.yaml`, with its `{...}` placeholders
    /// filled in) decodes and runs.
    @Test func contractExample() throws {
        let path = Paths.testsDirectory.appendingPathComponent("Fixtures/contract-example.yaml").path
        let e = try Experiment.load(contentsOf: path)
        #expect(e.name == "neighbour-unmovable")
        #expect(e.seeds == [1, 2, 3, 4, 5])
        #expect(e.machine.layout.cma.first?.basePfn == 0x10000)
        #expect(e.scriptedOps.count == 11)
        #expect(e.opLabels[6] == "contig 0x600+512")
        #expect(e.expectations.count == 3)
        let run = ExperimentRunner(jobs: 2).run(try e.selecting(variants: ["linux-5.18", "linux-5.19"], seedCount: 1))
        for r in run.runs {
            #expect(r.ops.map(\.index) == Array(0..<11))
            #expect(r.ops[2].result == "einval")  // pfn 0x80400 is beyond the 1.5 GiB of RAM
            #expect(r.metrics["invariant_violations"] == 0)
        }
    }

    /// The annotated example at the end of `experiments/README.md` is a valid experiment.
    @Test func readmeExampleDecodes() throws {
        let readme = try String(contentsOf: Paths.experiments.appendingPathComponent("README.md"), encoding: .utf8)
        let tail = try #require(readme.components(separatedBy: "## A complete annotated example").last)
        let body = try #require(tail.components(separatedBy: "```yaml\n").dropFirst().first?
            .components(separatedBy: "```").first)
        let e = try Experiment.decode(yaml: body, file: "README.md")
        #expect(e.variants == ["linux-5.18", "zi-yan-v11", "linux-5.19"])
        #expect(e.scriptedOps.count == 5)
        #expect(e.machine.blocks(ofZone: 1) == 8..<12)
    }
}
