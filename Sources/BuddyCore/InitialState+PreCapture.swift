/// Pages a trace frees that it never saw allocated (allocated before the capture began), served
/// from the imported `/proc` starting state (issue 23): each such free is a request of the
/// workload, bound here to a block of the imported allocated memory before the first event.
public struct PreCaptureBlock: Sendable, Equatable {
    /// The request the trace's free names.
    public var request: Int32
    public var order: Int
    public init(request: Int32, order: Int) { self.request = request; self.order = order }
}

extension Machine {
    /// Binds each pre-capture block to imported allocated memory: walking up from the lowest
    /// pfn (a cursor that only moves forward, so the binding is a function of the state alone,
    /// the same for every variant; a block that finds nothing does not move it), the first
    /// allocated block the import owns (no request) of order ≥ `order` is split — its first 2^order pages become the request's allocation, the
    /// rest stays imported in the largest aligned pieces. A block that finds no such memory is
    /// left unbound (its free stays a no-op, and is counted by the caller).
    /// - Returns: (request, handle) of every bound block.
    public func bindPreCaptureBlocks(_ blocks: [PreCaptureBlock]) -> [(request: Int32, handle: Int)] {
        var bound: [(Int32, Int)] = []
        var cursor = ramStart
        let end = ramStart + frameCount
        for b in blocks {
            var found = -1
            var scan = cursor
            while scan < end {
                if kind(scan) == .allocated, !AllocInfo(raw: info[index(scan)]).handled, order(scan) >= b.order {
                    found = scan
                    break
                }
                // Next head: an allocated or free head spans 2^order frames; anything else one.
                let k = kind(scan)
                scan += (k == .allocated || k == .buddy) ? 1 << order(scan) : 1
            }
            // Not found: this block stays unbound; the cursor stays for the next (smaller) ones.
            guard found >= 0 else { continue }
            cursor = found
            let chunkOrder = order(found)
            let attrs = AllocInfo(raw: info[index(found)])
            let h = markAllocated(pfn: found, order: b.order,
                                  AllocInfo(type: attrs.type, migratable: attrs.type == .movable, compound: b.order > 0))
            // The remainder [found + 2^order, found + 2^chunkOrder): buddies of rising order.
            for o in b.order..<chunkOrder {
                _ = markAllocated(pfn: found + (1 << o), order: o,
                                  AllocInfo(type: attrs.type, migratable: attrs.type == .movable, compound: false, handled: false))
            }
            bound.append((b.request, h))
        }
        return bound
    }
}
