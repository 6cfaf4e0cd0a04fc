import BuddyCore
import Foundation

/// Two real kernels (a base and a patched one, or 6.1 and 6.12) on the same driver commands:
/// where their whole states part (`buddylab diverge --kernels A,B`) and a minimal command file on
/// which they still part (`buddylab shrink --kernels A,B`).
///
/// Each side is one boot of its kernel running the whole batch with a snapshot after every
/// command; the comparison is `StateComparator`'s (result, NR_FREE_PAGES, NR_FREE_CMA_PAGES,
/// nr_free, every free list in list order, every pageblock type), side A in the "kernel" slot.
public struct KernelPair {
    public let a: KernelTarget
    public let b: KernelTarget
    let runA: OracleRunner
    let runB: OracleRunner
    /// Boots so far (three per comparison: A, B and A again as the noise control).
    public private(set) var boots = 0
    /// Seconds spent booting and running (the kernels' side only).
    public private(set) var bootSeconds = 0.0

    public init(a: KernelTarget, b: KernelTarget, runA: OracleRunner, runB: OracleRunner) {
        self.a = a; self.b = b; self.runA = runA; self.runB = runB
    }

    /// Where two kernels' logs part.
    public struct Divergence: Sendable {
        /// 0: the states differ before the first command; else the 1-based command after which they differ.
        public var step: Int
        public var command: OracleCommand?
        public var resultA: OracleResult?
        public var resultB: OracleResult?
        public var differences: [StateDifference]
        /// Pageblocks left out of the comparison as boot noise (`bootNoise`).
        public var noisePageblocks: Int = 0
    }

    /// The pageblocks (indices from the zone's first) where two boots' states differ before any
    /// command. Two boots of the *same* kernel differ there too: the guest's own allocations
    /// while it boots leave a few low-order pages in its own area free on one boot and not on
    /// the other (measured: 1–2 pages of order 0–1 between two boots of 6.1.192).
    public static func bootNoise(_ la: OracleLog, _ lb: OracleLog) -> Set<Int> {
        let a = la.initial.snapshot, b = lb.initial.snapshot
        let pbOrder = la.geometry.pageblockOrder
        var noise = Set<Int>()
        for o in 0..<min(a.freeLists.count, b.freeLists.count) {
            for mt in 0..<min(a.freeLists[o].count, b.freeLists[o].count) {
                let sa = Set(a.freeLists[o][mt]), sb = Set(b.freeLists[o][mt])
                for pfn in sa.symmetricDifference(sb) {
                    let first = (pfn - a.pageblockStart) >> pbOrder, last = (pfn + (1 << o) - 1 - a.pageblockStart) >> pbOrder
                    for blk in first...max(first, last) { noise.insert(blk) }
                }
            }
        }
        for i in 0..<min(a.pageblocks.count, b.pageblocks.count) where a.pageblocks[i] != b.pageblocks[i] { noise.insert(i) }
        return noise
    }

    /// `s` without the boot noise: free blocks in a noise pageblock left out, their pageblocks'
    /// types blanked, counters made relative to the boot's own state 0, nr_free left to the lists.
    static func masked(_ s: ZoneSnapshot, initial: ZoneSnapshot, noise: Set<Int>, pageblockOrder: Int) -> ZoneSnapshot {
        var m = s
        m.nrFreePages = s.nrFreePages - initial.nrFreePages
        m.nrFreeCMAPages = s.nrFreeCMAPages - initial.nrFreeCMAPages
        m.nrFree = m.nrFree.map { _ in 0 }
        guard !noise.isEmpty else { return m }
        m.freeLists = s.freeLists.map { perType in perType.map { list in list.filter { !noise.contains(($0 - s.pageblockStart) >> pageblockOrder) } } }
        for blk in noise where blk < m.pageblocks.count { m.pageblocks[blk] = .unmovable }
        return m
    }

    /// The first step at which `la` and `lb` differ outside `bootNoise`, or nil when every
    /// state agrees there. Counters are compared as changes since each boot's state 0; a
    /// result's pfn only when neither side's lies in the noise. Foreign page events (the
    /// guests' own allocations during the batch) are not compared.
    public static func firstDifference(_ la: OracleLog, _ lb: OracleLog) -> Divergence? {
        let pbOrder = la.geometry.pageblockOrder, pb = la.geometry.pageblockPages
        let a0 = la.initial.snapshot, b0 = lb.initial.snapshot
        guard a0.startPfn == b0.startPfn, a0.spanned == b0.spanned else {
            return Divergence(step: 0, command: nil, resultA: nil, resultB: nil,
                              differences: [StateDifference(kind: .structure, kernel: "zone [\(hex(a0.startPfn)), +\(a0.spanned))",
                                                            simulator: "zone [\(hex(b0.startPfn)), +\(b0.spanned))", what: "zone span")])
        }
        let noise = bootNoise(la, lb)
        func inNoise(_ pfn: Int?) -> Bool { pfn.map { noise.contains(($0 - a0.pageblockStart) >> pbOrder) } ?? false }
        for (sa, sb) in zip(la.steps, lb.steps) {
            var d: [StateDifference] = []
            var ra = sa.result, rb = sb.result
            if inNoise(ra.pfn) || inNoise(rb.pfn) { ra.pfn = nil; rb.pfn = nil }
            if let r = StateComparator.compare(kernel: ra, simulator: rb) { d.append(r) }
            d += StateComparator.compare(kernel: masked(sa.state.snapshot, initial: a0, noise: noise, pageblockOrder: pbOrder),
                                         simulator: masked(sb.state.snapshot, initial: b0, noise: noise, pageblockOrder: pbOrder),
                                         pageblockPages: pb)
            if !d.isEmpty {
                return Divergence(step: sa.index, command: sa.command, resultA: sa.result, resultB: sb.result, differences: d,
                                  noisePageblocks: noise.count)
            }
        }
        return nil
    }

    static func hex(_ v: Int) -> String { "0x" + String(v, radix: 16) }

    /// What one comparison found: where A and B part, and where a second boot of A parts from
    /// the first (the noise control: the guest's own activity differs from boot to boot, and
    /// once one boot serves an allocation from a page the other boot's kernel holds, the two
    /// boots' states part too — measured on 6.1.192, seeds 1–3 × 1,000: after commands 705,
    /// 386, 130).
    public struct Comparison {
        public var a: OracleLog
        public var b: OracleLog
        public var divergence: Divergence?
        public var control: Divergence?
        /// A and B part before two boots of A do (or two boots of A never part): the difference
        /// is the kernels', not the boots'.
        public var attributable: Bool {
            guard let d = divergence else { return false }
            return control.map { $0.step > d.step } ?? true
        }
    }

    /// Runs `commands` on both kernels, and on A once more as the noise control, and compares.
    public mutating func compare(_ commands: [OracleCommand]) throws(OracleRunner.Unavailable) -> Comparison {
        let la = try boot(runA, commands, side: a), lb = try boot(runB, commands, side: b)
        let d = Self.firstDifference(la, lb)
        let lc = try boot(runA, commands, side: a)
        return Comparison(a: la, b: lb, divergence: d, control: Self.firstDifference(la, lc))
    }

    mutating func boot(_ r: OracleRunner, _ commands: [OracleCommand], side: KernelTarget) throws(OracleRunner.Unavailable) -> OracleLog {
        let out = try r.run(commands)
        boots += 1
        bootSeconds += out.seconds
        do { return try OracleLogParser.parse(out.log, file: "kernel-\(side).log") } catch {
            throw OracleRunner.Unavailable(reason: "kernel \(side): its log breaks the protocol: \(error)")
        }
    }

    /// The side names in output: `A` and `B` as given (`6.1`, `6.1+FILE`).
    public static func render(_ c: Comparison, a: String, b: String, commands: Int) -> String {
        let noise = c.control.map { "noise control: a second boot of \(a) parts from the first after command \($0.step)" + ($0.step == 0 ? " (zone moved)" : "") + "\n" }
            ?? "noise control: a second boot of \(a) agrees with the first after all \(commands) commands\n"
        guard let d = c.divergence else { return "kernels \(a) and \(b) never diverge: identical state after all \(commands) commands\n" + noise }
        return render(d, a: a, b: b, commands: commands) + noise
            + (c.attributable ? "" : "NOT attributable to the kernels: two boots of \(a) part there or earlier (boot noise)\n")
    }

    public static func render(_ d: Divergence, a: String, b: String, commands: Int) -> String {
        var out = d.step == 0
            ? "kernels \(a) and \(b) differ before the first command (the booted states)\n"
            : "kernels \(a) and \(b): first divergence after command \(d.step) of \(commands): \(d.command?.text ?? "?")\n"
        if let ra = d.resultA, let rb = d.resultB {
            out += "  \(a): \(ra)\n  \(b): \(rb)\n"
        }
        out += "  state difference (\(a) | \(b); counters as changes since each boot's state 0; \(d.noisePageblocks) pageblock(s) where the two boots already differed left out):\n"
        for x in d.differences.prefix(24) {
            switch x.kind {
            case .freeList: out += "    \(x.what)\n      \(a): \(x.kernel)\n      \(b): \(x.simulator)\n"
            default: out += "    \(x.what): \(x.kernel) | \(x.simulator)\n"
            }
        }
        if d.differences.count > 24 { out += "    … and \(d.differences.count - 24) more\n" }
        return out
    }
}
