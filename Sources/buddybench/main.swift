// Release-mode engine benchmark: order-0 alloc/free churn on a 16 GiB x86_64 machine with
// counters (and watermark checks) on, then set-up + short churn of a 1 TiB machine.
// Run: swift run -c release buddybench
import BuddyCore
import BuddyVariants
import Dispatch

typealias Bench = Combine<PageblockAlignment, AccountingMoveTime, MergeRules518, Era2022>

func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

/// Fill to `fill` of memory, then `events` alternating-by-coin alloc/free of order-0 pages.
func churn(gib: Int, fill: Double, events: Int, label: String) {
    let pages = gib << 18
    let layout = MachineLayout(geometry: .x86_64, ramStartPfn: 0,
                               zones: [ZoneSpec(name: "Normal", pages: pages)], memoryBlockPages: 32768)
    let t0 = now()
    let m = Machine<Bench>(layout: layout)
    let setup = Double(now() - t0) / 1e9
    var live = [Int32](); live.reserveCapacity(Int(Double(pages) * fill) + 16)
    var rng = SplitMix64(seed: 1)
    let target = Int(Double(pages) * fill)
    while live.count < target {
        let h = m.allocate(zone: 0, order: 0, type: .movable)
        if h < 0 { break }
        live.append(Int32(h))
    }
    let t1 = now()
    for _ in 0..<events {
        if rng.next() & 1 == 0 || live.isEmpty {
            let h = m.allocate(zone: 0, order: 0, type: .movable)
            if h >= 0 { live.append(Int32(h)) }
        } else {
            let i = Int(rng.next() % UInt64(live.count))
            m.free(handle: Int(live[i]))
            live[i] = live[live.count - 1]; live.removeLast()
        }
    }
    let secs = Double(now() - t1) / 1e9
    let eps = Double(events) / secs
    print("\(label): \(gib) GiB, \(pages) frames, setup \(format2(setup)) s, "
          + "\(events) events in \(format2(secs)) s = \(format2(eps / 1e6)) M events/s, "
          + "\(format2(secs * 1e9 / Double(events))) ns/event, \(format2(m.bytesPerFrame)) bytes/frame, "
          + "NR_FREE_PAGES \(m.totalNrFreePages), drift \(m.drift().nrFreePages)")
}

func format2(_ v: Double) -> String {
    let hundredths = Int(v * 100 + 0.5)
    let frac = hundredths % 100
    return "\(hundredths / 100).\(frac < 10 ? "0" : "")\(frac)"
}

let args = CommandLine.arguments
let events = args.count > 1 ? Int(args[1]) ?? 20_000_000 : 20_000_000
churn(gib: 16, fill: 0.5, events: events, label: "order-0 churn")
if !args.contains("--no-1tib") {
    churn(gib: 1024, fill: 0.01, events: 2_000_000, label: "1 TiB set-up + short churn")
}
