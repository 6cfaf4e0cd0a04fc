/// The two per-frame buffers of the last machine a worker ran, kept for its next run.
///
/// A machine's frame arrays (`lru` links and `state`/`info`, `PairedField`) are 10 bytes per
/// frame: 40 MiB for a 16 GiB machine. Allocated fresh for every (variant, seed) run they are
/// fresh anonymous memory each time, and the kernel's page faults on first touch were the
/// largest single cost of the bundled suite outside the event loop (issue 25: `Machine.init` was
/// 20 % of the suite's CPU, almost all of it `exc_page_fault`). A worker that keeps the buffers
/// of the machine it just ran hands them to the next one, which only refills them.
///
/// One cache belongs to one worker (the runners make one per `concurrentPerform` iteration and
/// pass it in `RunOptions`); it is never used from two threads at once, hence
/// `@unchecked Sendable`. It holds at most one buffer of each kind, so a worker's memory is what
/// one run of it takes, as before; a buffer of another size is freed before a new one is
/// allocated.
public final class FrameBufferCache: @unchecked Sendable {
    struct Buffer { let base: UnsafeMutableRawPointer; let bytes: Int; let alignment: Int }
    private var kept: [Buffer] = []

    public init() {}

    deinit { releaseAll() }

    /// A buffer of exactly `bytes` bytes at `alignment` (contents unspecified): a kept one of
    /// that size and alignment, or a new one once every kept buffer is freed.
    func take(bytes: Int, alignment: Int) -> UnsafeMutableRawPointer {
        if let i = kept.firstIndex(where: { $0.bytes == bytes && $0.alignment == alignment }) { return kept.remove(at: i).base }
        releaseAll()
        return .allocate(byteCount: bytes, alignment: alignment)
    }

    /// Keeps `base` (from `take`) for the next machine; at most two buffers are kept.
    func keep(_ base: UnsafeMutableRawPointer, bytes: Int, alignment: Int) {
        if kept.count >= 2 { kept.removeFirst().base.deallocate() }
        kept.append(Buffer(base: base, bytes: bytes, alignment: alignment))
    }

    /// Frees every kept buffer. The runners call it before a worker generates a program: a
    /// program is generated before its run's machine exists, and `validate`'s estimate
    /// (`Experiment.runFootprintBytes`) counts it so — the generator's last array doubling
    /// beside a kept machine would be more than any one run holds.
    public func releaseAll() {
        for b in kept { b.base.deallocate() }
        kept.removeAll()
    }

    /// Buffers held now (tests).
    public var keptCount: Int { kept.count }
}
