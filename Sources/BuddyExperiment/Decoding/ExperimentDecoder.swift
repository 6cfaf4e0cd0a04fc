import BuddyCore
import BuddyVariants
import BuddyYAML
import Crypto
import Foundation

/// Entry points: an experiment file (or text) in, a checked `Experiment` or a located error out.
///
/// Every failure — unreadable file, YAML syntax, limits, schema — is a `YAMLDecodeError` whose
/// description is `file:line:column: message`, so the CLI has one error type to map to exit 2.
extension Experiment {
    /// Reads and decodes `path`. Error messages name the file exactly as given. For a file with
    /// `sweep:` every point is checked and the first is returned; `loadPoints` returns them all.
    public static func load(contentsOf path: String) throws(YAMLDecodeError) -> Experiment {
        try loadPoints(contentsOf: path)[0]
    }

    /// Reads and decodes `path` into one experiment per sweep point, in matrix order (a single
    /// experiment without `point` when the file has no `sweep:`). Never empty.
    public static func loadPoints(contentsOf path: String) throws(YAMLDecodeError) -> [Experiment] {
        let bytes: [UInt8]
        do {
            bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw YAMLDecodeError(file: path, line: 0, column: 0, message: "cannot read file: \(error.localizedDescription)")
        }
        return try decodePoints(bytes: bytes, file: path)
    }

    /// Decodes experiment text (tests, inline snippets).
    public static func decode(yaml: String, file: String = "<string>") throws(YAMLDecodeError) -> Experiment {
        try decode(bytes: Array(yaml.utf8), file: file)
    }

    /// Decodes raw file bytes; `sourceSHA256` is the hash of exactly these bytes. For a file with
    /// `sweep:`, the first point (all points are checked).
    public static func decode(bytes: [UInt8], file: String) throws(YAMLDecodeError) -> Experiment {
        try decodePoints(bytes: bytes, file: file)[0]
    }

    /// Decodes experiment text into its sweep points (tests, inline snippets).
    public static func decodePoints(yaml: String, file: String = "<string>") throws(YAMLDecodeError) -> [Experiment] {
        try decodePoints(bytes: Array(yaml.utf8), file: file)
    }

    /// Decodes raw file bytes into one experiment per sweep point (see `loadPoints`).
    public static func decodePoints(bytes: [UInt8], file: String) throws(YAMLDecodeError) -> [Experiment] {
        try decodePoints(bytes: bytes, file: file, limits: EventLimits())
    }

    /// The same with other event limits (tests: the limits' paths without 10⁸-event inputs).
    static func decodePoints(bytes: [UInt8], file: String, limits: EventLimits) throws(YAMLDecodeError) -> [Experiment] {
        let root: YAMLNode?
        do throws(YAMLError) {
            root = try YAML.parse(bytes: bytes, file: file)
        } catch {
            throw YAMLDecodeError(error)
        }
        guard let root else {
            throw YAMLDecodeError(file: file, line: 1, column: 1,
                                  message: "the file holds no YAML document; expected an experiment mapping starting with schema: 1")
        }
        let sha = SHA256.hash(data: bytes).map { byte in
            String(byte >> 4, radix: 16) + String(byte & 15, radix: 16)
        }.joined()
        return try ExperimentDecoder(reader: NodeReader(file: file), limits: limits).decodePoints(root, sha256: sha)
    }
}

/// The top level of schema 1, in dependency order: machine before workload (sizes need the page
/// size, names need the zones), variants before baseline and expect, workload before expect.
struct ExperimentDecoder {
    let reader: NodeReader
    /// One decode pass per trace file for the whole file, not one per sweep point.
    let traces = TraceDecodeCache()
    var limits = EventLimits()

    static let keys = ["schema", "name", "description", "machine", "variants", "baseline", "seeds",
                       "workload", "expect", "sweep", "reclaim", "series"]

    /// - Parameter bindings: sweep values put in place of `$name` in `machine:` and `workload:`
    ///   (see `ExperimentDecoder+Sweep.swift`); empty for a file without `sweep:`.
    func decode(_ root: YAMLNode, sha256: String,
                bindings: [String: YAMLNode] = [:]) throws(YAMLDecodeError) -> Experiment {
        let m = try reader.mapping(root).allowing(Self.keys)
        let schemaNode = try m.required("schema")
        let schema = try reader.int(schemaNode)
        guard schema == Experiment.schemaVersion else {
            throw reader.error("unsupported schema \(schema); this buddylab reads schema \(Experiment.schemaVersion)",
                               at: schemaNode)
        }
        let nameNode = try m.required("name")
        let name = try reader.identifier(nameNode)
        guard name.count <= Experiment.maxNameLength else {
            throw reader.error("name is \(name.count) characters long; at most \(Experiment.maxNameLength) are allowed "
                               + "(it becomes part of file names: reports/NAME.md, results/NAME/…)", at: nameNode)
        }
        var description = ""
        if let n = m.optional("description") { description = try reader.string(n) }
        _ = m.optional("sweep")   // decoded by decodePoints
        let machineNode = SweepSubstitution.substitute(try m.required("machine"), bindings)
        let machine = try MachineDecoder(reader: reader).decode(machineNode)
        let (variants, written) = try decodeVariants(m.optional("variants"))
        let baseline = try decodeBaseline(m.optional("baseline"), variants: variants, written: written)
        var seeds = try decodeSeeds(m.optional("seeds"))
        var workload = WorkloadDecoder(reader: reader, machine: machine, traces: traces, limits: limits)
        let (phases, bound) = try workload.decode(SweepSubstitution.substitute(try m.required("workload"), bindings))
        if m.optional("seeds") == nil, phases.contains(where: \.drawsFromSeed) {
            // One seed of a random workload is one sample of a distribution, not a result.
            seeds = (1...Experiment.defaultStochasticSeeds).map { UInt64($0) }
        }
        var expectations: [Expectation] = []
        if let n = m.optional("expect") {
            expectations = try ExpectDecoder(reader: reader, selected: variants,
                                             scriptCount: workload.scriptedOps.count).decode(n)
        }
        var experiment = Experiment(file: reader.file, sourceSHA256: sha256, name: name, description: description,
                                    machine: machine, variants: variants, baseline: baseline, seeds: seeds,
                                    workload: phases, expectations: expectations, scriptedOps: workload.scriptedOps,
                                    eventBound: bound)
        experiment.machineMark = m.entries.first { $0.key == "machine" }?.keyMark ?? m.mark
        if let n = m.optional("reclaim") { experiment.reclaim = try decodeReclaim(n) }
        if let n = m.optional("series") {
            let s = try reader.mapping(n, context: "series").allowing(["every"])
            experiment.seriesEvery = try reader.int(s.required("every"), in: 1...Experiment.maxEvents)
        }
        return experiment
    }

    /// `reclaim: { swap: false, kswapd_pages_per_event: 32 }` (docs/reclaim.md).
    private func decodeReclaim(_ node: YAMLNode) throws(YAMLDecodeError) -> ReclaimConfig {
        let m = try reader.mapping(node, context: "reclaim").allowing(["swap", "kswapd_pages_per_event"])
        var config = ReclaimConfig(swap: false)
        if let n = m.optional("swap") { config.swap = try reader.bool(n) }
        if let n = m.optional("kswapd_pages_per_event") { config.kswapdPagesPerEvent = try reader.int(n, in: 1...1 << 20) }
        return config
    }

    /// `variants: all | [ids]` → ids in registry order, plus the order as written.
    private func decodeVariants(_ node: YAMLNode?) throws(YAMLDecodeError) -> ([String], [String]) {
        guard let node, !(node.isPlain && node.scalar == "all") else { return (Variants.ids, Variants.ids) }
        guard node.sequence != nil else {
            throw reader.error("variants must be all or a list of variant ids, found \(node.foundDescription)", at: node)
        }
        let items = try reader.sequence(node)
        guard !items.isEmpty else { throw reader.error("variants must list at least one variant", at: node) }
        var written: [String] = []
        for item in items {
            let id = try reader.choice(item, from: Variants.ids, what: "variant")
            guard !written.contains(id) else { throw reader.error("variant '\(id)' is listed twice", at: item) }
            written.append(id)
        }
        return (Variants.ids.filter(written.contains), written)
    }

    /// `baseline:` — default `linux-5.18` when selected, else the first variant as written.
    private func decodeBaseline(_ node: YAMLNode?, variants: [String],
                                written: [String]) throws(YAMLDecodeError) -> String {
        guard let node else { return Experiment.defaultBaseline(selected: variants, written: written) }
        let id = try reader.choice(node, from: Variants.ids, what: "variant")
        guard variants.contains(id) else {
            throw reader.error("baseline '\(id)' is not among the selected variants (\(variants.joined(separator: ", ")))",
                               at: node)
        }
        return id
    }

    /// `seeds: N` (→ 1...N) or `seeds: [list]`; default `[1]`.
    private func decodeSeeds(_ node: YAMLNode?) throws(YAMLDecodeError) -> [UInt64] {
        guard let node else { return [1] }
        guard let items = node.sequence else {
            let count = try reader.int(node)
            guard (1...Experiment.maxSeeds).contains(count) else {
                throw reader.error("seeds must be a count from 1 to \(Experiment.maxSeeds) or a list of seeds, found \(count)",
                                   at: node)
            }
            return (1...count).map { UInt64($0) }
        }
        guard !items.isEmpty else { throw reader.error("seeds must list at least one seed", at: node) }
        guard items.count <= Experiment.maxSeeds else {
            throw reader.error("at most \(Experiment.maxSeeds) seeds are allowed", at: node)
        }
        var seeds: [UInt64] = []
        for item in items {
            let seed = try reader.uint64(item)
            guard !seeds.contains(seed) else { throw reader.error("seed \(seed) is listed twice", at: item) }
            seeds.append(seed)
        }
        return seeds
    }
}

extension Experiment {
    /// Most seeds one experiment may run.
    public static let maxSeeds = 10_000

    /// Seeds of an experiment without `seeds:` whose workload draws from the seed
    /// (`WorkloadPhase.drawsFromSeed`): enough for Welch's test and a CoeffVar to mean something.
    /// A workload without such choices (ops, traces, hotplug by block) gets the same stream for
    /// every seed, so it keeps one.
    public static let defaultStochasticSeeds = 10

    /// Longest `name:`. The name is a file-name component (`reports/NAME.md`, whose temporary
    /// sibling `.NAME.md.tmp-PID-<16 hex>` must fit NAME_MAX = 255 bytes, and `results/NAME/`),
    /// so it is bounded well below that, leaving room for names derived from it.
    public static let maxNameLength = 128

    /// The baseline when none is written: `linux-5.18` if selected, else the first selected
    /// variant in the order the file lists them.
    static func defaultBaseline(selected: [String], written: [String]) -> String {
        selected.contains("linux-5.18") ? "linux-5.18" : (written.first { selected.contains($0) } ?? selected.first ?? "")
    }
}
