/// Finding the first frame of a range whose kind is not the expected one, four frames per load.
///
/// The invariant checker's coverage walk tests every tail of every block (`kind == .none`) and
/// every frame of offline memory and holes (`kind == .reserved`): on a 25 GiB machine that is
/// 6.5 million frames at the end of each run, half the checker's time when done one byte at a
/// time (issue 25's suite profile). `state` and `info` are interleaved (`PairedField`), so one
/// unaligned 64-bit load holds four frames' `state` bytes at even byte offsets; the kind is the
/// state byte's high nibble (FrameState.swift).
extension Machine {
    /// The first pfn in `from..<to` whose kind is not `kind`, or nil when all are.
    public func firstFrame(notOfKind kind: FrameKind, from: Int, to: Int) -> Int? {
        let kindMask: UInt64 = 0x00F0_00F0_00F0_00F0
        let want = UInt64(kind.rawValue << 4) &* 0x0001_0001_0001_0001
        var i = index(from)
        let end = index(to)
        let raw = UnsafeRawPointer(state.address(0))
        // `state[i]` is byte 2i of the pair buffer: a load at 2i covers frames i…i+3.
        while i &+ 4 <= end {
            if raw.loadUnaligned(fromByteOffset: i &<< 1, as: UInt64.self).littleEndian & kindMask != want { break }
            i &+= 4
        }
        while i < end {
            if state[i] & 0xF0 != kind.rawValue << 4 { return pfnOf(i) }
            i &+= 1
        }
        return nil
    }
}
