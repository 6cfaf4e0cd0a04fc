import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A trace read from a pipe (`/dev/stdin` of `generate … | buddylab run`, or a named FIFO),
/// opened without waiting for a writer. `open(2)` of a FIFO blocks until something opens it for
/// writing — issue 19's hang: `validate` on a FIFO nobody writes to never returned. So the FIFO is
/// opened `O_NONBLOCK` and its head read with a bound: an empty pipe with a writer answers
/// EAGAIN (then the reads block, as `cat` does, however slow the writer), one without a writer
/// answers 0, and after `writerWait` of that the trace is refused with exit 2.
extension FileByteSource {
    /// How long a FIFO may stay without a writer before it is refused.
    static let writerWait: Double = 5

    /// A pipe opened without waiting for its writer; read its head with `readHead` first.
    static func pipe(path: String) throws(TraceError) -> FileByteSource {
        try FileByteSource(path: path, flags: O_NONBLOCK)
    }

    /// The first bytes, up to `buffer.count`: waits at most `writerWait` for a writer, then for
    /// as long as the writer takes; the descriptor blocks from here on.
    func readHead(into buffer: UnsafeMutableRawBufferPointer, writerWait: Double = FileByteSource.writerWait) throws(TraceError) -> Int {
        let deadline = Date().addingTimeInterval(writerWait)
        var done = 0
        var writerSeen = false
        while done < buffer.count {
            let n = Glibc.read(fd, buffer.baseAddress! + done, buffer.count - done)
            if n > 0 { done += n; writerSeen = true; continue }
            if n == 0 {
                // End of the stream once a writer has been seen; no writer yet otherwise —
                // unless one came and went without writing (POLLHUP: an empty pipe).
                if writerSeen || done > 0 || Self.writerCameAndWent(fd) { break }
                guard Date() < deadline else {
                    throw TraceError(file: path, line: 0, message: "a FIFO nothing writes to (no writer within "
                                     + "\(String(format: "%g", writerWait)) s): start its writer first, or pipe the trace into file: /dev/stdin")
                }
                var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                _ = poll(&p, 1, 10)   // wakes when a writer writes or leaves
                continue
            }
            if errno == EINTR { continue }
            if errno == EAGAIN {
                // A writer is there and has written nothing yet: block from now on.
                writerSeen = true
                try setBlocking()
                continue
            }
            throw TraceError(file: path, line: 0, message: "read failed: \(String(cString: strerror(errno)))")
        }
        try setBlocking()
        return done
    }

    /// Linux reports POLLHUP on a FIFO's read end only once a writer has opened it since the
    /// reader did and closed it again (`pipe_poll`: `w_counter` moved); never for a FIFO no
    /// writer has opened yet.
    static func writerCameAndWent(_ fd: Int32) -> Bool {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&p, 1, 0) > 0 && p.revents & Int16(POLLHUP) != 0
    }

    private func setBlocking() throws(TraceError) {
        let flags = fcntl(fd, F_GETFL)
        guard flags >= 0, fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) == 0 else {
            throw TraceError(file: path, line: 0, message: "fcntl failed: \(String(cString: strerror(errno)))")
        }
    }
}
