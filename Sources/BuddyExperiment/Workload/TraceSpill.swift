import BuddyCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The ops a trace phase became, written by the decode pass (issue 25: one parse): every later
/// consumer — a whole program's generation, each stream cursor, the workload hash — reads these
/// words instead of parsing the text again.
///
/// Eight bytes per op (a request id and its order/type, `Word`), plus eight for a `gfp: true`
/// mask or a `pfn`-mode pin: 0.8 GB for a 10⁸-event trace against its 12.8 GB of text. The first
/// `memoryWords` words stay in memory (every bundled capture fits); past that the words go to an
/// unlinked temporary file (in `$TMPDIR`, else /tmp) that the page cache serves, so a replay's
/// resident memory does not grow with the trace. Read-only once `finish` returns; readers use
/// `pread`, so any number of cursors on any threads read it at once.
final class TraceSpill: @unchecked Sendable {
    /// 2¹⁷ words (1 MiB): the bundled captures (at most 260,000 records) stay in memory.
    static let defaultMemoryWords = 1 << 17

    /// Unchecked: the decode pass appends to it once per op from one thread (a dynamic
    /// exclusivity check per append was 2 % of the pass), and readers start after `finish`.
    @exclusivity(unchecked) private var words: [UInt64] = []
    private let memoryWords: Int
    private var fd: Int32 = -1
    /// Words written to the file so far (the file's length / 8).
    private var fileWords = 0
    /// Ops appended.
    private(set) var ops = 0

    init(memoryWords: Int = TraceSpill.defaultMemoryWords) {
        self.memoryWords = max(memoryWords, 1)
        words.reserveCapacity(min(self.memoryWords, 1 << 12))
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Words in all: what the spill holds (memory and file).
    var wordCount: Int { fileWords + (fd >= 0 ? 0 : words.count) }
    /// Bytes on disk (0 while it fits in memory).
    var fileBytes: Int { fileWords * 8 }
    /// Bytes its words take in memory once finished: the array's capacity while it fits there
    /// (up to 1 MiB), nothing once they went to the file (`finish` drops the buffer).
    var memoryBytes: Int { fd >= 0 ? 0 : words.capacity * MemoryLayout<UInt64>.stride }

    // MARK: - Encoding

    /// Bits of the first word: 0–1 kind (0 alloc, 1 allocAt, 2 free), 2–5 order, 6–7 type,
    /// 8 a gfp word follows, 32–63 the request id. An allocAt's pfn word follows the first word,
    /// then the gfp word.
    enum Word {
        static let alloc: UInt64 = 0, allocAt: UInt64 = 1, free: UInt64 = 2
        static let hasGFP: UInt64 = 1 << 8
    }

    /// Appends `op` — one of the three ops `TraceMatcher` makes (`.alloc` in the zonelist
    /// without a compound flag, `.allocAt`, `.free`).
    func append(_ op: EngineOp) throws(SpillError) {
        ops += 1
        switch op {
        case .alloc(let request, let order, let type, let zone, let compound, let gfp):
            precondition(zone == -1 && compound == nil, "TraceSpill: a trace request has no zone or compound flag")
            try put(Word.alloc | UInt64(order) << 2 | UInt64(type.rawValue) << 6 | (gfp == nil ? 0 : Word.hasGFP)
                    | UInt64(UInt32(bitPattern: request)) << 32)
            if let gfp { try put(UInt64(gfp.rawValue)) }
        case .allocAt(let pfn, let request, let order, let type, let compound, let gfp):
            precondition(compound == nil, "TraceSpill: a trace request has no compound flag")
            try put(Word.allocAt | UInt64(order) << 2 | UInt64(type.rawValue) << 6 | (gfp == nil ? 0 : Word.hasGFP)
                    | UInt64(UInt32(bitPattern: request)) << 32)
            try put(UInt64(pfn))
            if let gfp { try put(UInt64(gfp.rawValue)) }
        case .free(let request):
            try put(Word.free | UInt64(UInt32(bitPattern: request)) << 32)
        default:
            preconditionFailure("TraceSpill: \(op) is not a trace op")
        }
    }

    private func put(_ word: UInt64) throws(SpillError) {
        words.append(word)
        if words.count >= memoryWords { try flush() }
    }

    /// Writes the buffered words to the file (created on first use).
    private func flush() throws(SpillError) {
        guard !words.isEmpty else { return }
        if fd < 0 { fd = try Self.makeTemporaryFile() }
        let bytes = words.count * 8
        let written = words.withUnsafeBytes { raw -> Int in
            var done = 0
            while done < bytes {
                let n = pwrite(fd, raw.baseAddress! + done, bytes - done, off_t(fileWords * 8 + done))
                if n < 0 { if errno == EINTR { continue }; return -Int(errno) }
                done += n
            }
            return done
        }
        guard written == bytes else {
            if Int32(-written) == ENOSPC {
                // The disk, not the input: say how much the spill took and what it needs.
                throw SpillError(message: "no space left in \(Self.directory) for the trace spill after \(ops) ops "
                                 + "(\(fileWords * 8 >> 20) MiB written, 8 B per op: a 10⁹-event trace needs ≈ 8 GB); "
                                 + "point TMPDIR at a disk with room")
            }
            throw SpillError(message: "cannot write the trace spill file: \(String(cString: strerror(Int32(-written))))")
        }
        fileWords += words.count
        words.removeAll(keepingCapacity: true)
    }

    /// Ends the writing: a spill that went to a file sends its last words there and frees its
    /// buffer.
    func finish() throws(SpillError) {
        if fd >= 0 {
            try flush()
            words = []
        }
    }

    /// Where spill files go: `$TMPDIR`, else /tmp.
    static var directory: String {
        ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
    }

    /// Bytes free for an unprivileged writer in `directory` (`statvfs`), nil when unknown.
    static func freeBytes() -> Int? {
        var st = statvfs()
        guard statvfs(directory, &st) == 0 else { return nil }
        return Int(st.f_bavail) &* Int(st.f_frsize)
    }

    /// An unlinked file in `$TMPDIR` (else /tmp): it vanishes with the process however it ends.
    static func makeTemporaryFile() throws(SpillError) -> Int32 {
        let dir = directory
        var template = Array("\(dir)/buddylab-trace-spill.XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw SpillError(message: "cannot create a trace spill file in \(dir): \(String(cString: strerror(errno)))")
        }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        return fd
    }

    struct SpillError: Error { var message: String }

    // MARK: - Reading

    /// Calls `body` with every op in order, request ids shifted by `requestOffset`; stops when
    /// `body` returns false (then returns false).
    func forEachOp(requestOffset: Int32, _ body: (EngineOp) -> Bool) -> Bool {
        if fd < 0 {
            return words.withUnsafeBufferPointer { Self.decode($0, requestOffset: requestOffset, body).complete }
        }
        // 2¹⁶ words (512 KiB) per read; an op's words may straddle two reads.
        let capacity = 1 << 16
        let buffer = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: capacity + 2)
        defer { buffer.deallocate() }
        var next = 0, held = 0
        while next < fileWords || held > 0 {
            let want = min(capacity - held, fileWords - next)
            if want > 0 {
                var done = 0
                while done < want * 8 {
                    let n = pread(fd, UnsafeMutableRawPointer(buffer.baseAddress! + held) + done, want * 8 - done,
                                  off_t(next * 8 + done))
                    if n < 0, errno == EINTR { continue }
                    // The spill is this process's own unlinked file: a failed read is a broken machine.
                    precondition(n > 0, "trace spill file: read failed: \(n < 0 ? String(cString: strerror(errno)) : "short file")")
                    done += n
                }
                next += want; held += want
            }
            let (complete, used) = Self.decode(UnsafeBufferPointer(rebasing: buffer[0..<held]), requestOffset: requestOffset,
                                               partial: next < fileWords, body)
            if !complete { return false }
            let rest = held - used
            for k in 0..<rest { buffer[k] = buffer[used + k] }  // at most two words
            held = rest
            if used == 0 && want == 0 { preconditionFailure("trace spill file: truncated op") }
        }
        return true
    }

    /// Decodes whole ops from `w`; with `partial`, an op cut at the end is left for the next
    /// call. Returns whether `body` accepted every op, and the words consumed.
    static func decode(_ w: UnsafeBufferPointer<UInt64>, requestOffset: Int32, partial: Bool = false,
                       _ body: (EngineOp) -> Bool) -> (complete: Bool, used: Int) {
        var i = 0
        while i < w.count {
            let first = w[i]
            let kind = first & 3
            let extra = (kind == Word.allocAt ? 1 : 0) + (first & Word.hasGFP != 0 ? 1 : 0)
            if i + extra >= w.count {
                precondition(partial, "trace spill: truncated op")
                break
            }
            let request = Int32(bitPattern: UInt32(truncatingIfNeeded: first >> 32)) &+ requestOffset
            let order = UInt8(truncatingIfNeeded: (first >> 2) & 0xF)
            let type = AllocType(rawValue: UInt8(truncatingIfNeeded: (first >> 6) & 3)) ?? .unmovable
            let op: EngineOp
            switch kind {
            case Word.alloc:
                let gfp = first & Word.hasGFP != 0 ? GFPMask(rawValue: UInt32(truncatingIfNeeded: w[i + 1])) : nil
                op = .alloc(request: request, order: order, type: type, zone: -1, compound: nil, gfp: gfp)
            case Word.allocAt:
                let gfp = first & Word.hasGFP != 0 ? GFPMask(rawValue: UInt32(truncatingIfNeeded: w[i + 2])) : nil
                op = .allocAt(pfn: Int(w[i + 1]), request: request, order: order, type: type, compound: nil, gfp: gfp)
            default:
                op = .free(request: request)
            }
            i += 1 + extra
            if !body(op) { return (false, i) }
        }
        return (true, i)
    }
}
