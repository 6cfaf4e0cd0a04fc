import BuddyExperiment
import BuddyYAML
import Foundation
import Testing

/// Paths relative to this file, so the tests work from any working directory.
enum Paths {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let repository = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()
    static let experiments = repository.appendingPathComponent("experiments")
    static let badFixtures = testsDirectory.appendingPathComponent("Fixtures/bad")

    /// `*.yaml` files of a directory, sorted by name.
    static func yamlFiles(in directory: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted().map { directory.appendingPathComponent($0) }
    }
}

/// A minimal valid experiment with the given sections replaced, for focused decode tests.
enum Snippet {
    static let machine = """
        machine:
          zones:
            - { name: Normal, size: 128MiB }
        """
    static let workload = """
        workload:
          - fill: { until: 10% }
        """

    static func experiment(machine: String = machine, workload: String = workload, extra: String = "") -> String {
        "schema: 1\nname: t\n" + machine + "\n" + workload + "\n" + extra
    }
}

/// Decodes `yaml` and returns the error it must produce.
func decodeError(_ yaml: String, file: String = "t.yaml",
                 sourceLocation: SourceLocation = #_sourceLocation) -> YAMLDecodeError? {
    do {
        _ = try Experiment.decode(yaml: yaml, file: file)
        Issue.record("expected a decode error", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

/// A small machine for runner tests: 64 MiB with 16 MiB memory blocks keeps every run in milliseconds.
let tinyExperimentYAML = """
    schema: 1
    name: tiny
    machine:
      memory_block: 16MiB
      zones:
        - { name: Normal, size: 48MiB }
        - { name: Movable, size: 16MiB }
    variants: [linux-3.5, linux-5.18, linux-5.19]
    seeds: [3, 1]
    workload:
      - fill: { until: 60%, mix: { movable: 85%, unmovable: 15% }, orders: { 0: 90%, 3: 10% } }
      - churn: { events: 3000, orders: { 0: 100% }, free_ratio: 40% }
      - contig: { count: 4, size: 2MiB, zone: Normal }
      - repeat: { times: 2, steps: [ { offline: { zone: Movable, count: 1 } }, { online: { blocks: [3] } } ] }
      - ops:
          - isolate: { start: pfn:0x800, pages: 512 }
          - watermark: { zone: Movable, mark: low }
          - unisolate: { start: 8MiB, pages: 512 }
          - alloc: { pfn: 0x1000, order: 0, type: unmovable, as: pin }
          - free: pin
    expect:
      - { variant: all, metric: invariant_violations, equals: 0 }
      - { variant: linux-5.19, op: 3, result: ok }
    """

/// Writes `text` into the FIFO at `path` from a new thread (its `open` blocks until a reader
/// opens the FIFO); SIGPIPE is ignored, so a reader that stops early ends the write, not the run.
func feedFIFO(_ path: String, _ text: String) {
    signal(SIGPIPE, SIG_IGN)
    Thread {
        let fd = open(path, O_WRONLY)
        guard fd >= 0 else { return }
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress!, bytes.count) }
        close(fd)
    }.start()
}
