import BuddyExperiment
import BuddyYAML
import Foundation
import Testing

/// The malformed-input corpus in `Fixtures/bad/`. Each file states the error it must produce on
/// its first line: `# expect-error: LINE:COLUMN: fragment` (`?` instead of LINE:COLUMN when the
/// position is libyaml's to choose). New fixtures are picked up automatically.
@Suite struct BadInputTests {
    struct Expected {
        var mark: String?
        var fragment: String
    }

    static func expected(_ url: URL) -> Expected? {
        guard let text = try? String(contentsOf: url, encoding: .utf8),
              let first = text.split(separator: "\n", omittingEmptySubsequences: false).first,
              first.hasPrefix("# expect-error: ") else { return nil }
        let rest = first.dropFirst("# expect-error: ".count)
        guard let colon = rest.firstIndex(of: " ") else { return nil }
        let mark = String(rest[..<colon].dropLast())  // "9:27" from "9:27:"
        let fragment = String(rest[rest.index(after: colon)...])
        return Expected(mark: mark == "?" ? nil : mark, fragment: fragment)
    }

    @Test func corpusIsPresent() {
        let files = Paths.yamlFiles(in: Paths.badFixtures)
        #expect(files.count >= 25)
        for file in files { #expect(Self.expected(file) != nil, "\(file.lastPathComponent) lacks # expect-error:") }
    }

    @Test(arguments: Paths.yamlFiles(in: Paths.badFixtures))
    func rejected(_ url: URL) throws {
        let expected = try #require(Self.expected(url))
        do {
            let e = try Experiment.load(contentsOf: url.path)
            Issue.record("\(url.lastPathComponent) decoded as \(e.name)")
        } catch {
            let text = error.description
            #expect(error.file == url.path)
            #expect(error.line > 0 && error.column > 0, "no position: \(text)")
            if let mark = expected.mark {
                #expect(text.hasPrefix("\(url.path):\(mark): "), "wrong position: \(text)")
            } else {
                #expect(text.hasPrefix("\(url.path):\(error.line):\(error.column): "))
            }
            #expect(text.contains(expected.fragment), "wrong message: \(text)")
        }
    }

    @Test func missingFileIsAnErrorNamingTheFile() {
        #expect(throws: YAMLDecodeError.self) { try Experiment.load(contentsOf: "/nonexistent/x.yaml") }
    }

    /// A few inline cases whose exact positions are asserted here, next to the YAML.
    @Test func inlinePositions() {
        let withMachine = { (machine: String) in Snippet.experiment(machine: machine) }
        let e1 = decodeError(withMachine("machine:\n  page_size: 3KiB\n  zones:\n    - { name: Normal, size: 128MiB }"))
        #expect(e1?.description == "t.yaml:4:14: page_size must be a power of two between 1KiB and 1MiB")
        let e2 = decodeError(withMachine("machine:\n  max_order: 8\n  zones:\n    - { name: Normal, size: 128MiB }"))
        #expect(e2?.description == "t.yaml:4:14: pageblock_order (9) must not exceed max_order (8)")
        let e3 = decodeError(withMachine("machine:\n  ram_start: 1MiB\n  zones:\n    - { name: Normal, size: 128MiB }"))
        #expect(e3?.description == "t.yaml:4:14: ram_start must be aligned to the largest buddy block (1024 pages)")
        let e4 = decodeError(Snippet.experiment(workload: "workload:\n  - fill: { until: 10%, zone: Nromal }"))
        #expect(e4?.description.hasPrefix("t.yaml:7:31: unknown zone 'Nromal'; did you mean 'Normal'?") == true)
        let e5 = decodeError(Snippet.experiment(workload: "workload:\n  - fil: { until: 10% }"))
        #expect(e5?.description.hasPrefix("t.yaml:7:5: unknown key 'fil' in workload[0]; did you mean 'fill'?") == true)
        let e6 = decodeError(Snippet.experiment(workload: "workload:\n  - contig: { count: 1, size: 256MiB }"))
        #expect(e6?.description.hasPrefix("t.yaml:7:31: size 256MiB does not fit") == true)
        let e7 = decodeError(Snippet.experiment(workload: "workload:\n  - ops:\n      - isolate: { start: 0x100, pages: 512 }"))
        #expect(e7?.description == "t.yaml:8:27: isolate start 0x100 must be pageblock aligned (512 pages)")
        let e8 = decodeError(Snippet.experiment(workload: "workload:\n  - offline: { blocks: [1] }"))
        #expect(e8?.description == "t.yaml:7:25: memory block 1 does not exist: the machine has 1 blocks (0...0)")
        let e9 = decodeError(Snippet.experiment(workload: "workload:\n  - cma_alloc: { area: cma0, size: 2MiB }"))
        #expect(e9?.description == "t.yaml:7:24: the machine has no cma areas; declare one under machine.cma")
        let e10 = decodeError(Snippet.experiment(extra: "variants: linux-5.18"))
        #expect(e10?.description == "t.yaml:8:11: variants must be all or a list of variant ids, found 'linux-5.18'")
    }
}
