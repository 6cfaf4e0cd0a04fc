import BuddyCore
import Crypto

/// `workload_sha256`: SHA-256 over a canonical byte encoding of a `Program`.
///
/// An explicit encoder (tag byte + little-endian fixed-width fields) rather than hashing a
/// `description` or a Codable dump: those formats are not promised to stay stable across Swift
/// versions, and the hash is compared across revisions and machines. Changing this encoding
/// changes every stored hash, so bump `magic` when doing it.
public enum WorkloadHash {
    /// Leads the encoding; names the format version.
    static let magic = "buddylab-workload/1"

    public static func sha256(_ program: Program) -> String {
        if program.eventSource != nil { return sha256(streaming: program) }
        var h = Streaming(program, eventCount: program.events.count)
        h.add(program.events)
        return h.finish(program)
    }

    /// The same digest over a streamed program's chunks (a cursor of its own).
    static func sha256(streaming program: Program) -> String {
        guard let source = program.eventSource else { return sha256(program) }
        var h = Streaming(program, eventCount: source.eventCount)
        let cursor = source.makeCursor()
        var chunk: [ProgramEvent] = []
        while cursor.next(into: &chunk) { h.add(chunk) }
        return h.finish(program)
    }

    /// The hash of a program fed its events in chunks as they are produced (issue 25: a
    /// streamed trace is hashed on the stream, never held). The encoding is the one format
    /// below in three parts — what precedes the events (their count included, which is why a
    /// stream must know its count first), the events, what follows them — so a program hashes
    /// to the same digest whole or chunked.
    struct Streaming {
        private var e = Encoder()
        private let cpus: Int
        private(set) var eventsAdded = 0
        private let eventCount: Int

        init(_ program: Program, eventCount: Int) {
            self.eventCount = eventCount
            e.string(magic)
            let l = program.layout
            e.int(l.geometry.pageShift); e.int(l.geometry.maxOrder); e.int(l.geometry.pageblockOrder)
            e.int(l.ramStartPfn); e.int(l.memoryBlockPages)
            e.int(l.zones.count)
            for z in l.zones {
                e.string(z.name); e.int(z.pages)
                // Zone shapes (issue 10) enter the hash only when used, so contiguous hole-free
                // layouts keep the hashes they always had.
                if z.start != nil || !z.holes.isEmpty {
                    e.string("shape"); e.int(l.zoneStart(l.zones.firstIndex(of: z) ?? 0)); e.int(z.holes.count)
                    for h in z.holes { e.int(h.lowerBound); e.int(h.upperBound) }
                }
            }
            e.int(l.cma.count)
            for c in l.cma { e.string(c.name); e.int(c.pages); e.int(c.basePfn ?? -1) }
            e.int(program.requestCount)
            e.int(eventCount)
            // CPUs enter the encoding only on a multi-CPU machine, so every one-CPU workload keeps
            // the hash it had before `cpus:` existed.
            cpus = l.cpus
            if cpus > 1 { e.string("cpus"); e.int(cpus) }
        }

        mutating func add(_ events: [ProgramEvent]) {
            for event in events {
                e.event(event)
                if cpus > 1 { e.byte(event.cpu) }
            }
            eventsAdded += events.count
        }

        /// The digest; the events added must be exactly the count the header promised.
        mutating func finish(_ program: Program) -> String {
            precondition(eventsAdded == eventCount,
                         "workload hash: \(eventsAdded) events streamed, \(eventCount) announced")
            // Absent for every experiment without `from_proc`, so their hashes are unchanged.
            if let s = program.initialState { e.initialState(s) }
            // Page classes and the reclaim settings (issue 23) likewise enter only when used.
            if !program.pageClasses.isEmpty {
                e.string("classes"); e.int(program.pageClasses.count)
                for c in program.pageClasses { e.byte(c) }
            }
            if let r = program.reclaim { e.string("reclaim"); e.int(r.swap ? 1 : 0); e.int(r.kswapdPagesPerEvent) }
            return e.finish()
        }
    }

    /// Buffers bytes and feeds SHA-256 in 64 KiB chunks.
    ///
    /// A raw buffer written by offset, not `Array.append(contentsOf:)` (a quarter of the hash's
    /// cost over the bundled suite in perf) nor an array written through
    /// `withUnsafeMutableBytes` (a uniqueness check per field, slower still): the hash runs once
    /// per seed over every event. Every write makes room first, so no caller has to flush;
    /// `finish` releases the buffer (`sha256` calls it exactly once).
    struct Encoder {
        private var hasher = SHA256()
        private static let capacity = 1 << 16
        private let buffer = UnsafeMutableRawPointer.allocate(byteCount: Encoder.capacity, alignment: 8)
        private var used = 0

        init() {}

        @inline(__always) private mutating func room(_ n: Int) {
            if used + n > Self.capacity { flush() }
        }
        @inline(__always) mutating func byte(_ b: UInt8) {
            room(1)
            buffer.storeBytes(of: b, toByteOffset: used, as: UInt8.self)
            used += 1
        }
        @inline(__always) mutating func int32(_ v: Int32) {
            room(4)
            buffer.storeBytes(of: v.littleEndian, toByteOffset: used, as: Int32.self)
            used += 4
        }
        @inline(__always) mutating func int(_ v: Int) {
            room(8)
            buffer.storeBytes(of: Int64(v).littleEndian, toByteOffset: used, as: Int64.self)
            used += 8
        }
        mutating func string(_ s: String) {
            let bytes = Array(s.utf8)
            int(bytes.count)
            // SHA-256 is fed a byte stream: the buffered bytes, then the string's, same digest.
            flush()
            hasher.update(data: bytes)
        }
        /// A request's gfp mask: nothing at all without one (so every workload written before
        /// masks existed keeps its hash), else tag 14 — no event starts with it — and the bits.
        mutating func mask(_ gfp: GFPMask?) {
            guard let gfp else { return }
            byte(14); int(Int(gfp.rawValue))
        }
        /// nil → 0, false → 1, true → 2.
        mutating func optionalBool(_ b: Bool?) { byte(b.map { $0 ? 2 : 1 } ?? 0) }

        mutating func event(_ event: ProgramEvent) {
            switch event.op {
            case let .alloc(request, order, type, zone, compound, gfp):
                byte(0); int32(request); byte(order); byte(type.rawValue)
                byte(UInt8(bitPattern: zone)); optionalBool(compound); mask(gfp)
            case let .allocAt(pfn, request, order, type, compound, gfp):
                byte(1); int32(request); int(pfn); byte(order); byte(type.rawValue); optionalBool(compound); mask(gfp)
            case .free(let request): byte(2); int32(request)
            case let .isolate(start, pages): byte(3); int(start); int(pages)
            case let .unisolate(start, pages): byte(4); int(start); int(pages)
            case let .contig(start, pages, hold): byte(5); int(start); int(pages); byte(hold ? 1 : 0)
            case let .cmaDeclare(base, pages): byte(6); int(base); int(pages)
            case let .cmaAlloc(area, pages): byte(7); int(area); int(pages)
            case let .cmaRelease(area, count): byte(8); int(area); int(count)
            case .offline(let block): byte(9); int(block)
            case .online(let block): byte(10); int(block)
            case let .watermark(zone, mark, order): byte(11); int(zone); byte(mark); byte(order)
            case .sample(let kind): byte(12); byte(kind.rawValue)
            case .reserveHighatomic(let pfn): byte(13); int(pfn)
            case let .compact(zone, order, priority): byte(14); int(zone); byte(UInt8(bitPattern: order)); byte(priority)
            }
            int32(event.script)
        }

        mutating func initialState(_ s: InitialState) {
            string("initial-state")
            int(s.pageblockTypes.count)
            for t in s.pageblockTypes { byte(t) }
            int(s.freeBlocks.count)
            for b in s.freeBlocks { int(b.pfn); byte(UInt8(b.order)) }
            int(s.offlineBlocks.count)
            for b in s.offlineBlocks { int(b) }
            // Issue 23's pre-capture frees: only when there are some, so older hashes stand.
            if !s.preCaptureBlocks.isEmpty {
                string("pre-capture"); int(s.preCaptureBlocks.count)
                for b in s.preCaptureBlocks { int32(b.request); byte(UInt8(b.order)) }
            }
        }

        private mutating func flush() {
            guard used > 0 else { return }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(start: buffer, count: used))
            used = 0
        }

        mutating func finish() -> String {
            flush()
            buffer.deallocate()
            let hex: [Character] = Array("0123456789abcdef")
            var out = ""
            for b in hasher.finalize() {
                out.append(hex[Int(b >> 4)]); out.append(hex[Int(b & 15)])
            }
            return out
        }
    }
}
