/// The sweep point a run belongs to (`sweep:` in the experiment file), stored in each run record
/// as the optional `point` object. Runs of experiments without `sweep:` have none, so their
/// records are byte-identical to before sweeps existed.
///
/// ```json
/// "point": { "index": 3, "label": "fill=40% contig_size=4MiB",
///            "parameters": ["fill", "contig_size"], "values": { "contig_size": "4MiB", "fill": "40%" } }
/// ```
/// `values` holds each parameter's value exactly as written in the YAML; `parameters` keeps the
/// order the file lists them in (JSON keys are sorted), which reports use for their axes.
public struct RunPoint: Codable, Sendable, Hashable {
    /// Position in the sweep's matrix order (first parameter slowest), from 0.
    public var index: Int
    /// Parameter names in file order.
    public var parameters: [String]
    /// Parameter name → value as written.
    public var values: [String: String]

    public init(index: Int, parameters: [String], values: [String: String]) {
        self.index = index; self.parameters = parameters; self.values = values
    }

    /// `fill=40% contig_size=4MiB`: parameters in file order.
    public var label: String {
        parameters.map { "\($0)=\(values[$0] ?? "")" }.joined(separator: " ")
    }

    enum CodingKeys: String, CodingKey { case index, label, parameters, values }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        index = try c.decode(Int.self, forKey: .index)
        parameters = try c.decode([String].self, forKey: .parameters)
        values = try c.decode([String: String].self, forKey: .values)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(index, forKey: .index)
        try c.encode(label, forKey: .label)
        try c.encode(parameters, forKey: .parameters)
        try c.encode(values, forKey: .values)
    }
}
