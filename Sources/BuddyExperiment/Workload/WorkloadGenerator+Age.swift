import BuddyCore

/// `age:` phases: classed requests with seeded lifetimes. Variant-independent like every
/// phase: a free is scheduled when the request is *issued*, and the engine makes it a no-op
/// where the request failed or reclaim took it back first.
extension GeneratorState {
    mutating func emitAge(_ a: AgePhase) {
        for _ in 0..<a.steps {
            emitDueFrees()
            let c = a.classes[a.pick.sample(&rng)]
            let order = c.orders.sample(&rng)
            var pageClass = c.pageClass
            var gfp = c.gfp
            if c.pageClass == .slabReclaimable || c.pageClass == .slabUnmovable {
                // One draw for every slab request: from a reclaimable cache or not.
                let reclaimable = rng.below(1_000_000) < c.reclaimablePerMillion
                pageClass = reclaimable ? .slabReclaimable : .slabUnmovable
                gfp = reclaimable ? gfp.union(.reclaimable) : gfp.subtracting(.reclaimable)
            }
            let lifetime = LifetimeSampling.draw(c.lifetime, &rng)
            let id = nextRequest()
            events.append(ProgramEvent(.alloc(request: id, order: order, type: gfp.allocType ?? .unmovable,
                                              zone: -1, compound: nil, gfp: gfp)))
            setClass(id, pageClass)
            if let lifetime { age.pending.push(due: age.clock &+ lifetime, request: id) }
            age.clock += 1
        }
        emitDueFrees()
        events.append(ProgramEvent(.sample(.agePhase)))
    }

    /// Frees every pending request whose lifetime ended by now (earliest first, then by id).
    mutating func emitDueFrees() {
        while let top = age.pending.top, top.due <= age.clock {
            age.pending.pop()
            events.append(ProgramEvent(.free(request: top.request)))
        }
    }

    mutating func setClass(_ id: Int32, _ c: PageClass) {
        let i = Int(id)
        if pageClasses.count <= i { pageClasses.append(contentsOf: repeatElement(0, count: i + 1 - pageClasses.count)) }
        pageClasses[i] = c.rawValue
    }
}

/// The `age:` clock and the requests waiting for their free.
struct AgeState {
    var clock = 0
    var pending = DueHeap()
}

/// A binary min-heap of (due step, request id): ties go to the older request, so the order of
/// frees is a function of the stream alone.
struct DueHeap {
    struct Entry { var due: Int; var request: Int32 }
    private var items: [Entry] = []

    var top: Entry? { items.first }

    static func less(_ a: Entry, _ b: Entry) -> Bool { a.due != b.due ? a.due < b.due : a.request < b.request }

    mutating func push(due: Int, request: Int32) {
        items.append(Entry(due: due, request: request))
        var i = items.count - 1
        while i > 0 {
            let p = (i - 1) / 2
            guard Self.less(items[i], items[p]) else { break }
            items.swapAt(i, p); i = p
        }
    }

    /// Sift-down with a hole on the raw buffer: the last entry is moved once to its place
    /// instead of swapped level by level (pop was 4.8 % of the bundled suite's CPU in perf, the
    /// largest item outside the engine). The order (due, request) is total, so the pops are the
    /// same sequence as before.
    mutating func pop() {
        guard let last = items.popLast(), !items.isEmpty else { return }
        items.withUnsafeMutableBufferPointer { h in
            let n = h.count
            var i = 0
            while true {
                let l = 2 * i + 1
                guard l < n else { break }
                let r = l + 1
                let c = r < n && Self.less(h[r], h[l]) ? r : l
                guard Self.less(h[c], last) else { break }
                h[i] = h[c]; i = c
            }
            h[i] = last
        }
    }
}
