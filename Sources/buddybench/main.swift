// Release-mode engine benchmark: order-0 alloc/free churn on a 16 GiB x86_64 machine with
// counters (and watermark checks) on, then set-up + short churn of a 1 TiB machine.
// Run: swift run -c release buddybench
import BuddyCore
import BuddyVariants
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

typealias Bench = Combine<PageblockAlignment, AccountingMoveTime, MergeRules518, Era2022>
/// `--cpus N`: the same churn on linux-6.1's strategies, per-cpu pagesets on (N simulated CPUs,
/// each event on a CPU drawn from the benchmark's stream).
typealias BenchPCP = Linux61

func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

/// Fill to `fill` of memory, then `events` alternating-by-coin alloc/free of order-0 pages.
@discardableResult
func churn<S: StrategySet>(_: S.Type, gib: Int, fill: Double, events: Int, cpus: Int = 1, label: String) -> Double {
    let pages = gib << 18
    var layout = MachineLayout(geometry: .x86_64, ramStartPfn: 0,
                               zones: [ZoneSpec(name: "Normal", pages: pages)], memoryBlockPages: 32768)
    layout.cpus = cpus
    let t0 = now()
    let m = Machine<S>(layout: layout)
    let setup = Double(now() - t0) / 1e9
    var stream = ChurnStream<S>(capacity: pages, cpus: cpus)
    defer { stream.live.deallocate() }
    let target = Int(Double(pages) * fill)
    while stream.liveCount < target {
        let h = m.allocate(zone: 0, order: 0, type: .movable)
        if h < 0 { break }
        stream.add(h)
    }
    // The stream is decided `lookahead` events before it is executed (a free picks and removes
    // its victim then), exactly like an executor replaying a generated program: that is what
    // lets the engine's two-stage prefetch (Machine+Prefetch.swift) overlap the cache misses of
    // future frees. -1 in the ring is an allocation.
    let lookahead = 16, stage2 = lookahead / 2
    let ring = UnsafeMutablePointer<Int32>.allocate(capacity: lookahead)
    defer { ring.deallocate() }
    for k in 0..<lookahead { ring[k] = stream.decide(m) }
    let t1 = now()
    for k in 0..<events {
        let slot = k & (lookahead - 1)
        let h = ring[slot]
        let ahead = ring[(k + stage2) & (lookahead - 1)]
        if ahead >= 0 { m.prefetchFree(handle: Int(ahead)) }
        if cpus > 1 { m.currentCPU = stream.nextCPU() }
        if h < 0 {
            let new = m.allocate(zone: 0, order: 0, type: .movable)
            if new >= 0 { stream.add(new) }
        } else {
            m.free(handle: Int(h))
        }
        ring[slot] = stream.decide(m)
    }
    let secs = Double(now() - t1) / 1e9
    let eps = Double(events) / secs
    print("\(label): \(gib) GiB, \(pages) frames, setup \(format2(setup)) s, "
          + "\(events) events in \(format2(secs)) s = \(format2(eps / 1e6)) M events/s, "
          + "\(format2(secs * 1e9 / Double(events))) ns/event, \(format2(m.bytesPerFrame)) bytes/frame, "
          + "NR_FREE_PAGES \(m.totalNrFreePages), drift \(m.drift().nrFreePages)"
          + (S.Era.pcp != .none ? ", on pcp lists \(m.totalPCPPages) (\(cpus) CPUs)" : ""))
    return eps
}

/// The benchmark's own bookkeeping: live handles in a plain buffer (a Swift array would be
/// retained and released around every opaque engine call, and variables captured by a closure
/// are checked for exclusive access at run time: the benchmark would measure either).
struct ChurnStream<S: StrategySet> {
    let live: UnsafeMutablePointer<Int32>
    var liveCount = 0
    var rng = SplitMix64(seed: 1)
    var cpuRng = SplitMix64(seed: 2)
    let cpus: UInt64
    init(capacity: Int, cpus: Int) { live = .allocate(capacity: capacity); self.cpus = UInt64(cpus) }

    /// A CPU for the next event (multiply-shift: no division on the hot path).
    mutating func nextCPU() -> Int { Int(((cpuRng.next() >> 32) &* cpus) >> 32) }

    mutating func add(_ h: Int) { live[liveCount] = Int32(truncatingIfNeeded: h); liveCount += 1 }

    /// The next event: -1 (allocate) or the handle to free, removed from `live` now.
    mutating func decide(_ m: Machine<S>) -> Int32 {
        guard rng.next() & 1 != 0, liveCount > 0 else { return -1 }
        let i = Int(rng.below(UInt64(liveCount)))
        let h = live[i]
        liveCount -= 1; live[i] = live[liveCount]
        m.prefetchHandle(Int(h))
        return h
    }
}

func format2(_ v: Double) -> String {
    let hundredths = Int(v * 100 + 0.5)
    let frac = hundredths % 100
    return "\(hundredths / 100).\(frac < 10 ? "0" : "")\(frac)"
}

// Usage: buddybench [EVENTS] [--gib N] [--rounds N] [--no-1tib] [--cpus N] [--compaction]
// --cpus N: linux-6.1's strategies with per-cpu pagesets on N simulated CPUs (else Era2022, no pcp).
// Rounds: the churn is measured N times on fresh machines and the median reported, because a
// shared (virtual) machine's memory bandwidth varies from one second to the next.
/// `--compaction`: what compaction itself costs (no churn): a `gib` machine filled with order-0
/// movable pages, every even pfn then freed (a zone where nothing above order 0 is free), then
/// `compact_memory` of the zone (linux-6.1's and linux-6.12's compaction, pcp lists off): ns per
/// migrated page.
func compactionCost<S: StrategySet>(_: S.Type, gib: Int, label: String) {
    let pages = gib << 18
    var layout = MachineLayout(geometry: .x86_64, ramStartPfn: 1 << 18,
                               zones: [ZoneSpec(name: "Normal", pages: pages)], memoryBlockPages: 32768)
    layout.perCPUListsEnabled = false
    let m = Machine<S>(layout: layout)
    m.compactionEnabled = true
    var handles: [Int] = []
    handles.reserveCapacity(pages)
    while true {
        let h = m.allocate(zone: 0, order: 0, type: .movable)
        if h < 0 { break }
        handles.append(h)
    }
    for h in handles where Int(m.handlePfn[h]) & 1 == 0 { m.free(handle: h) }
    let t0 = now()
    let r = m.compactMemory(zone: 0)
    let secs = Double(now() - t0) / 1e9
    print("\(label): \(gib) GiB, compact_memory \(r.status.name): \(r.migrated) pages migrated, "
          + "\(r.migrateScanned)+\(r.freeScanned) scanned in \(format2(secs)) s = "
          + "\(format2(secs * 1e9 / Double(max(r.migrated, 1)))) ns per migrated page")
}

let args = CommandLine.arguments
func option(_ name: String) -> Int? {
    args.firstIndex(of: name).flatMap { $0 + 1 < args.count ? Int(args[$0 + 1]) : nil }
}
let events = args.count > 1 ? Int(args[1]) ?? 20_000_000 : 20_000_000
let gib = option("--gib") ?? 16
let rounds = max(option("--rounds") ?? 5, 1)
let cpus = option("--cpus")
if args.contains("--compaction") {
    for r in 1...rounds {
        compactionCost(Linux61.self, gib: gib, label: "compaction (linux-6.1), round \(r)")
        compactionCost(Linux612.self, gib: gib, label: "compaction (linux-6.12), round \(r)")
    }
    exit(0)
}
var rates: [Double] = []
for r in 1...rounds {
    if let n = cpus {
        rates.append(churn(BenchPCP.self, gib: gib, fill: 0.5, events: events, cpus: max(1, n),
                           label: "order-0 churn (pcp, \(n) CPUs), round \(r)"))
    } else {
        rates.append(churn(Bench.self, gib: gib, fill: 0.5, events: events, label: "order-0 churn, round \(r)"))
    }
}
rates.sort()
print("order-0 churn\(cpus.map { " (pcp, \($0) CPUs)" } ?? ""), \(gib) GiB, median of \(rounds): \(format2(rates[rounds / 2] / 1e6)) M events/s "
      + "(\(format2(1e9 / rates[rounds / 2])) ns/event; min \(format2(rates[0] / 1e6)), max \(format2(rates[rounds - 1] / 1e6)))")
if !args.contains("--no-1tib") {
    churn(Bench.self, gib: 1024, fill: 0.01, events: 2_000_000, label: "1 TiB set-up + short churn")
}
