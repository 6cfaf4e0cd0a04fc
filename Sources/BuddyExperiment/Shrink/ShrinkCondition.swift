import BuddyCore
import BuddyResults

/// `--until 'EXPR'`: what a shrunk workload must still show.
///
/// Grammar: clauses joined by `||`, each a conjunction of atoms joined by `&&`; an atom is
/// `METRIC OP INTEGER` (OP one of `== != < <= > >=`; METRIC a contract metric name), or
/// `expect` (some `expect:` entry about the variant fails), or `expect:LINE` (the entry on that
/// line of the experiment file fails). An op expectation whose op was removed counts as not
/// failing, so removing the op cannot satisfy it.
public struct ShrinkCondition: Sendable {
    enum Atom: Sendable {
        case metric(String, Op, Int)
        case expectation([Expectation])
    }
    enum Op: String, Sendable, CaseIterable { case le = "<=", ge = ">=", eq = "==", ne = "!=", lt = "<", gt = ">" }

    let clauses: [[Atom]]
    public let text: String

    public struct ParseError: Error, CustomStringConvertible {
        public var description: String
    }

    /// - Parameters:
    ///   - text: the expression.
    ///   - expectations: the experiment's `expect:` entries.
    ///   - variant: the variant being shrunk.
    public init(_ text: String, expectations: [Expectation], variant: String) throws(ParseError) {
        self.text = text
        var clauses: [[Atom]] = []
        for clauseText in text.components(separatedBy: "||") {
            var atoms: [Atom] = []
            for atomText in clauseText.components(separatedBy: "&&") {
                atoms.append(try Self.atom(atomText.trimmingCharacters(in: .whitespaces), expectations, variant))
            }
            clauses.append(atoms)
        }
        self.clauses = clauses
    }

    static func atom(_ s: String, _ expectations: [Expectation], _ variant: String) throws(ParseError) -> Atom {
        if s == "expect" || s.hasPrefix("expect:") {
            var chosen = expectations.filter { $0.variant == nil || $0.variant == variant }
            if s != "expect" {
                guard let line = Int(s.dropFirst("expect:".count)) else {
                    throw ParseError(description: "--until: '\(s)': expected expect:LINE with a line number")
                }
                chosen = expectations.filter { $0.line == line }
                guard !chosen.isEmpty else {
                    throw ParseError(description: "--until: no expect: entry on line \(line) (entries are on lines "
                                     + expectations.map { String($0.line) }.joined(separator: ", ") + ")")
                }
            }
            for e in chosen {
                if case .metric(_, let cs) = e.check, cs.contains(where: { $0.peer != nil }) {
                    throw ParseError(description: "--until: the expect: entry on line \(e.line) compares with another "
                                     + "variant; shrink runs one variant")
                }
            }
            guard !chosen.isEmpty else { throw ParseError(description: "--until: the experiment has no expect: entry about \(variant)") }
            return .expectation(chosen)
        }
        for op in Op.allCases {
            guard let r = s.range(of: op.rawValue) else { continue }
            let name = s[..<r.lowerBound].trimmingCharacters(in: .whitespaces)
            let valueText = s[r.upperBound...].trimmingCharacters(in: .whitespaces)
            guard MetricCatalog.info(name) != nil, !name.hasPrefix("trace_") else {
                throw ParseError(description: "--until: unknown metric '\(name)' (trace_* metrics describe the input and "
                                 + "are not recomputed); known: \(MetricCatalog.names.filter { !$0.hasPrefix("trace_") }.joined(separator: ", "))")
            }
            guard let value = Int(valueText) else {
                throw ParseError(description: "--until: '\(valueText)' is not an integer in '\(s)'")
            }
            return .metric(name, op, value)
        }
        throw ParseError(description: "--until: cannot read '\(s)'; expected METRIC OP N (OP one of == != < <= > >=), expect, or expect:LINE")
    }

    /// Whether a run shows the behaviour.
    public func holds(_ raw: RawRun, variant: String) -> Bool {
        clauses.contains { atoms in atoms.allSatisfy { holds($0, raw, variant) } }
    }

    private func holds(_ atom: Atom, _ raw: RawRun, _ variant: String) -> Bool {
        switch atom {
        case let .metric(name, op, value):
            guard let v = raw.metrics[name] else { return false }
            switch op {
            case .eq: return v == value
            case .ne: return v != value
            case .lt: return v < value
            case .le: return v <= value
            case .gt: return v > value
            case .ge: return v >= value
            }
        case .expectation(let list):
            return list.contains { fails($0, raw) }
        }
    }

    /// An expectation that can be judged on this run and does not hold.
    private func fails(_ e: Expectation, _ raw: RawRun) -> Bool {
        switch e.check {
        case let .op(index, result):
            guard let op = raw.ops.first(where: { $0.index == index }) else { return false }
            return op.result.rawValue != result
        case let .metric(name, comparisons):
            guard let v = raw.metrics[name] else { return false }
            return comparisons.contains { c in
                switch c {
                case .equals(let n): v != n
                case .notEquals(let n): v == n
                case .min(let n): v < n
                case .max(let n): v > n
                default: false
                }
            }
        }
    }
}
