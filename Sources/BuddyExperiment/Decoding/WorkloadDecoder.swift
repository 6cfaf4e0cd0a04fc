import BuddyCore
import BuddyYAML

/// Events per seed a workload may have: `held` for one held in memory, `streamed` for one of
/// `trace:` phases alone (issue 25). Tests decode with smaller ones (`Experiment.decodePoints(…, limits:)`).
struct EventLimits: Sendable {
    var held = Experiment.maxEvents
    var streamed = Experiment.maxStreamedEvents
}

/// Decodes `workload:` into phases, numbering scripted ops and bounding the program size.
///
/// A struct with mutable state because decoding is a walk in file order: scripted ops get their
/// index as they are met, and `free: NAME` may only name a request an earlier `alloc` defined.
struct WorkloadDecoder {
    let reader: NodeReader
    let machine: MachineConfig
    /// Scripted ops met so far (index = position, `sample` ops excluded).
    var scriptedOps: [ScriptedOp] = []
    /// Request names defined by `alloc … as:` → (line of the alloc, freed yet).
    var requestNames: [String: (line: Int, freed: Bool)] = [:]

    static let phaseKinds = ["fill", "churn", "contig", "cma_alloc", "cma_release", "offline", "online",
                             "repeat", "ops", "trace", "age"]

    /// Traces already read by this file's decoding (shared by every sweep point).
    let traces: TraceDecodeCache
    /// Events per seed accepted (`Experiment.maxEvents`, `.maxStreamedEvents`; smaller in tests).
    let limits: EventLimits

    init(reader: NodeReader, machine: MachineConfig, traces: TraceDecodeCache = TraceDecodeCache(),
         limits: EventLimits = EventLimits()) {
        self.reader = reader
        self.machine = machine
        self.traces = traces
        self.limits = limits
    }

    var units: PageUnits { PageUnits(reader: reader, pageSize: machine.pageSize) }
    var layout: MachineLayout { machine.layout }

    /// The phases and an upper bound on the events they generate per seed.
    mutating func decode(_ node: YAMLNode) throws(YAMLDecodeError) -> (phases: [WorkloadPhase], bound: Int) {
        let items = try reader.sequence(node)
        guard !items.isEmpty else { throw reader.error("workload must have at least one phase", at: node) }
        var phases: [WorkloadPhase] = []
        var bound = 0
        for (i, item) in items.enumerated() {
            let (phase, events) = try decodePhase(item, context: "workload[\(i)]", insideRepeat: false)
            bound = Saturating.add(bound, events)
            // Past `maxEvents` only a workload of traces alone (streamed) may go on: refused at the
            // phase that makes it one held in memory (a generated phase, or a trace after one).
            guard bound <= limits.held || (phase.isTrace && phases.allSatisfy(\.isTrace)) else {
                throw reader.error("the workload up to here may generate \(bound == Int.max ? "too many" : String(bound)) "
                                   + "events per seed; the limit is \(limits.held) (a workload of trace: phases "
                                   + "alone is streamed and may have up to \(limits.streamed))", at: item)
            }
            guard bound <= limits.streamed else {
                throw reader.error("the workload up to here may generate \(bound == Int.max ? "too many" : String(bound)) "
                                   + "events per seed; the limit is \(limits.streamed) for a workload of "
                                   + "trace: phases alone (streamed)", at: item)
            }
            phases.append(phase)
        }
        return (phases, bound)
    }

    /// One `- kind: {…}` entry and its event bound.
    mutating func decodePhase(_ node: YAMLNode, context: String,
                              insideRepeat: Bool) throws(YAMLDecodeError) -> (WorkloadPhase, Int) {
        let outer = try reader.mapping(node, context: context)
        let (kind, value) = try outer.singleEntry(of: Self.phaseKinds)
        let ctx = "\(context).\(kind)"
        switch kind {
        case "fill": return try decodeFill(value, ctx)
        case "churn": return try decodeChurn(value, ctx)
        case "contig": return try decodeContig(value, ctx)
        case "cma_alloc":
            let m = try reader.mapping(value, context: ctx).allowing(["area", "count", "size"])
            let area = try cmaArea(m.required("area"))
            var count = 1
            if let n = m.optional("count") { count = try reader.int(n, in: 1...Experiment.maxEvents) }
            let sizeNode = try m.required("size")
            let pages = try units.pages(sizeNode, what: "size")
            guard pages <= layout.cma[area].pages else {
                throw reader.error("size is larger than cma area \(layout.cma[area].name)", at: sizeNode)
            }
            return (.cmaAlloc(area: area, count: count, pages: pages), count)
        case "cma_release":
            let m = try reader.mapping(value, context: ctx).allowing(["area", "count"])
            let area = try cmaArea(m.required("area"))
            var count: Int?
            if let n = m.optional("count"), n.scalar != "all" { count = try reader.int(n, in: 1...Experiment.maxEvents) }
            return (.cmaRelease(area: area, count: count), 1)
        case "offline", "online":
            let blocks = try decodeBlocks(value, ctx)
            return (kind == "offline" ? .offline(blocks: blocks) : .online(blocks: blocks), blocks.count)
        case "repeat":
            return try decodeRepeat(value, ctx)
        case "trace":
            return try decodeTrace(value, ctx)
        case "age":
            return try decodeAge(value, ctx)
        default:
            guard !insideRepeat else {
                throw reader.error("ops are not allowed inside repeat: every scripted op needs its own index; "
                                   + "put the ops before or after the repeat", at: outer.keyMark(kind))
            }
            let ops = try decodeOps(value, ctx)
            return (.ops(ops), ops.count)
        }
    }

    private mutating func decodeRepeat(_ value: YAMLNode, _ ctx: String) throws(YAMLDecodeError) -> (WorkloadPhase, Int) {
        let m = try reader.mapping(value, context: ctx).allowing(["times", "steps"])
        let times = try reader.int(m.required("times"), in: 1...1_000_000)
        let stepsNode = try m.required("steps")
        let items = try reader.sequence(stepsNode)
        guard !items.isEmpty else { throw reader.error("repeat needs at least one step", at: stepsNode) }
        var steps: [WorkloadPhase] = []
        var inner = 1  // the drift sample after each iteration
        for (i, item) in items.enumerated() {
            let (phase, events) = try decodePhase(item, context: "\(ctx).steps[\(i)]", insideRepeat: true)
            steps.append(phase)
            inner = Saturating.add(inner, events)
        }
        return (.repeatSteps(times: times, steps: steps), Saturating.multiply(times, inner))
    }

    /// `{ blocks: [..] }` or `{ zone: Name, count: N }` (the highest N blocks of the zone, ascending).
    private func decodeBlocks(_ value: YAMLNode, _ ctx: String) throws(YAMLDecodeError) -> [Int] {
        let m = try reader.mapping(value, context: ctx).allowing(["blocks", "zone", "count"])
        if let list = m.optional("blocks") {
            if m.contains("zone") || m.contains("count") {
                throw reader.error("give either blocks: or zone: with count:, not both", at: m.keyMark("blocks"))
            }
            let items = try reader.sequence(list)
            guard !items.isEmpty else { throw reader.error("blocks must not be empty", at: list) }
            var blocks: [Int] = []
            for item in items { blocks.append(try block(item)) }
            return blocks
        }
        guard let zoneNode = m.optional("zone") else {
            throw reader.error("expected blocks: [..] or zone: with count: in \(ctx)", at: m.mark)
        }
        let zone = try zoneIndex(zoneNode)
        let range = machine.blocks(ofZone: zone)
        let count = try reader.int(m.required("count"), in: 1...range.count)
        return Array(range.suffix(count))
    }

    /// A memory block number, `0..<blockCount`.
    func block(_ node: YAMLNode) throws(YAMLDecodeError) -> Int {
        let n = try reader.int(node)
        guard (0..<machine.blockCount).contains(n) else {
            throw reader.error("memory block \(n) does not exist: the machine has \(machine.blockCount) blocks "
                               + "(0...\(machine.blockCount - 1))", at: node)
        }
        return n
    }

    /// A zone name → its index.
    func zoneIndex(_ node: YAMLNode) throws(YAMLDecodeError) -> Int {
        let name = try reader.choice(node, from: layout.zones.map(\.name), what: "zone")
        return machine.zoneIndex(name) ?? 0
    }

    /// A CMA area name of `machine.cma` → its index.
    func cmaArea(_ node: YAMLNode) throws(YAMLDecodeError) -> Int {
        guard !layout.cma.isEmpty else {
            throw reader.error("the machine has no cma areas; declare one under machine.cma", at: node)
        }
        let name = try reader.choice(node, from: layout.cma.map(\.name), what: "cma area")
        return layout.cma.firstIndex { $0.name == name } ?? 0
    }
}
