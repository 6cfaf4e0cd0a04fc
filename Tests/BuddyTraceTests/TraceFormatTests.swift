import BuddyCore
import Foundation
import Testing
@testable import BuddyTrace

/// The three text layouts, on excerpts captured on this project's 2-CPU x86_64 VM running
/// Linux 6.18.44 (tracefs events of include/trace/events/kmem.h, 2026-12-01): the ftrace buffer
/// (`/sys/kernel/tracing/trace`), `trace-cmd report` (trace-cmd 3.1.6, after `trace-cmd
/// extract`) and `perf script` (perf 6.1.187). Expected counts were taken with grep over the
/// same files; the records pinned below are copied from the lines named.
@Suite struct TraceFormatTests {
    @Test func ftraceBuffer() throws {
        let (records, stats) = try Fixture.records("ftrace-6.18.txt")
        #expect(Fixture.counts(stats) == [199, 67, 19, 15, 0, 0])
        #expect(stats.lines == 312 && stats.skipped == 12 && stats.lostEventMarkers == 0)
        var first = TraceRecord(kind: .pageAlloc, cpu: 1, pfn: 0x30b2e8, order: 0, migratetype: 1, line: 13)
        first.gfpFlags = Int(GFPMask([.highuserMovable, .zero, .comp]).rawValue)   // gfp_flags=GFP_HIGHUSER_MOVABLE|__GFP_ZERO|__GFP_COMP
        #expect(records.first == first)
        #expect(records.first { $0.line == 138 } ==
                TraceRecord(kind: .pageAllocZoneLocked, cpu: 0, pfn: 0x1b4d78, order: 2, migratetype: 2,
                            percpuRefill: 1, line: 138))
        #expect(records.first { $0.line == 158 } == TraceRecord(kind: .pageFree, cpu: 0, pfn: 0x1b04fa, order: 0, line: 158))
    }

    @Test func traceCmdReport() throws {
        let (records, stats) = try Fixture.records("trace-cmd-6.18.txt")
        #expect(Fixture.counts(stats) == [83, 102, 85, 29, 0, 1])
        #expect(stats.skipped == 1)  // cpus=2
        #expect(records.first == TraceRecord(kind: .pageFreeBatched, cpu: 0, pfn: 0x1b46dd, order: 0, line: 2))
        #expect(records.first { $0.line == 259 } ==
                TraceRecord(kind: .pageAllocExtfrag, cpu: 1, pfn: 0x326c00, order: 2, migratetype: 2,
                            fallbackOrder: 10, fallbackMigratetype: 1, changeOwnership: 1, line: 259))
    }

    @Test func perfScript() throws {
        let (records, stats) = try Fixture.records("perf-6.18.txt")
        #expect(Fixture.counts(stats) == [17, 93, 91, 98, 0, 1])
        #expect(stats.skipped == 0)
        #expect(records.first == TraceRecord(kind: .pageFreeBatched, cpu: 0, pfn: 0x1e3dc2, order: 0, line: 1))
        #expect(records.first { $0.line == 264 } ==
                TraceRecord(kind: .pageAllocExtfrag, cpu: 0, pfn: 0x31f000, order: 0, migratetype: 0,
                            fallbackOrder: 10, fallbackMigratetype: 1, changeOwnership: 1, line: 264))
    }

    /// Hand-written lines (labelled so in the file) for what the captures lack.
    @Test func writtenFormats() throws {
        let (records, stats) = try Fixture.records("written-formats.txt")
        #expect(Fixture.counts(stats) == [3, 0, 1, 1, 2, 1])
        #expect(stats.lostEventMarkers == 1)
        #expect(stats.skipped == 5)  // 3 comments, sched_switch, "CPU 2 is empty"
        #expect(records.map(\.pfn) == [0x1f000, 0x1f001, -1, -1, 700785, 700785, 700786, 700800])
        #expect(records[1].migratetype == 4)
        #expect(records[2].order == 9 && records[3].order == 3)
        #expect(records[6].percpuRefill == -1)   // no percpu_refill= in older trees
        #expect(records[7].changeOwnership == -1 && records[7].fallbackOrder == 9)
    }
}
