import BuddyCore
import BuddyVariants
import BuddyYAML
import Foundation
import Testing
@testable import BuddyExperiment

/// `trace:` phases: what a trace becomes (requests / pfn), located errors, and the hash.
@Suite struct TracePhaseTests {
    /// A small hand-written ftrace-layout trace on a 128 MiB machine (pfns < 0x8000).
    static let trace = """
        # tracer: nop
                    bash-1     [000] .....   1.000001: mm_page_free: page=00000000aaaa0001 pfn=0x7000 order=0
                    bash-1     [000] .....   1.000002: mm_page_alloc: page=00000000aaaa0002 pfn=0x400 order=0 migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE
                    bash-1     [001] .....   1.000003: mm_page_alloc: page=00000000aaaa0003 pfn=0x600 order=2 migratetype=0 gfp_flags=GFP_KERNEL
                    bash-1     [001] .....   1.000004: mm_page_free: page=00000000aaaa0002 pfn=0x400 order=0
                    bash-1     [001] ...2.   1.000005: mm_page_free_batched: page=00000000aaaa0002 pfn=0x400 order=0
                    bash-1     [000] d..3.   1.000006: mm_page_alloc_zone_locked: page=00000000aaaa0004 pfn=0x800 order=0 migratetype=2 percpu_refill=1
                    bash-1     [000] .....   1.000007: mm_page_alloc: page=00000000aaaa0005 pfn=0x602 order=0 migratetype=2 gfp_flags=GFP_NOFS|__GFP_RECLAIMABLE
                    bash-1     [000] .....   1.000008: mm_page_alloc: page=0000000000000000 pfn=0x0 order=3 migratetype=0 gfp_flags=GFP_NOWAIT
                    bash-1     [000] .....   1.000009: mm_page_free: page=00000000aaaa0003 pfn=0x600 order=2

        """

    func experiment(mode: String, trace: String = trace) throws -> (Experiment, URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tracephase-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("traces"), withIntermediateDirectories: true)
        try trace.write(to: dir.appendingPathComponent("traces/t.txt"), atomically: true, encoding: .utf8)
        let yaml = Snippet.experiment(workload: "workload:\n  - trace: { file: traces/t.txt, mode: \(mode) }")
        do {
            return (try Experiment.decode(yaml: yaml, file: dir.appendingPathComponent("t.yaml").path), dir)
        } catch {
            try? FileManager.default.removeItem(at: dir)   // the caller gets no directory to remove
            throw error
        }
    }

    /// Issue 25: the decode pass's bound — every `mm_page_alloc` (4, the failed one included) and
    /// every `mm_page_free`/`mm_page_free_batched` (4) — travels with the phase, so generation
    /// reserves the events once; it bounds what generation emits (6 events: 2 frees skipped).
    @Test func decodePassBoundTravelsWithThePhase() throws {
        let (e, dir) = try experiment(mode: "requests")
        defer { try? FileManager.default.removeItem(at: dir) }
        guard case .trace(let t) = e.workload[0] else {
            Issue.record("expected a trace phase, got \(e.workload)")
            return
        }
        #expect(t.eventBound == 8)
        let w = WorkloadGenerator.generate(e, seed: 1)
        #expect(w.program.events.count == 6)
    }

    /// requests: allocs become zonelist requests, frees follow the traced pfn; the free of 0x7000
    /// (never allocated in the trace) and the batched duplicate of 0x400 are skipped; the
    /// kernel's failed order-3 allocation is still a request.
    @Test func requestsMode() throws {
        let (e, dir) = try experiment(mode: "requests")
        defer { try? FileManager.default.removeItem(at: dir) }
        let w = WorkloadGenerator.generate(e, seed: 1)
        #expect(w.program.events.map(\.op) == [
            .alloc(request: 0, order: 0, type: .movable, zone: -1, compound: nil, gfp: nil),
            .alloc(request: 1, order: 2, type: .unmovable, zone: -1, compound: nil, gfp: nil),
            .free(request: 0),
            .alloc(request: 2, order: 0, type: .reclaimable, zone: -1, compound: nil, gfp: nil),
            .alloc(request: 3, order: 3, type: .unmovable, zone: -1, compound: nil, gfp: nil),
            .free(request: 1),
        ])
        #expect(w.workloadMetrics["trace_untracked_frees"] == 1)
        #expect(w.workloadMetrics["trace_observations"] == 2)
        #expect(w.workloadMetrics["trace_kernel_alloc_failures"] == 1)
        #expect(w.workloadMetrics["trace_allocs"] == 4 && w.workloadMetrics["trace_frees"] == 2)
    }

    /// Issue 23: the capture's own `mm_page_alloc_extfrag` records are counted (still
    /// observations, not replayed) so the report sets them beside the replay's `extfrag_events`.
    @Test func captureExtfragRecordsAreCounted() throws {
        let trace = """
            # tracer: nop
                        ls-1     [001] .....   1.000001: mm_page_alloc_extfrag: page=0x6c00 pfn=0x6c00 alloc_order=2 fallback_order=10 pageblock_order=9 alloc_migratetype=2 fallback_migratetype=1 fragmenting=10 change_ownership=1
                        ls-1     [001] .....   1.000002: mm_page_alloc_extfrag: page=0x6e00 pfn=0x6e00 alloc_order=0 fallback_order=3 pageblock_order=9 alloc_migratetype=0 fallback_migratetype=1 fragmenting=1 change_ownership=0
                        ls-1     [001] .....   1.000003: mm_page_alloc: page=0x400 pfn=0x400 order=0 migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE

            """
        let (e, dir) = try experiment(mode: "requests", trace: trace)
        defer { try? FileManager.default.removeItem(at: dir) }
        let w = WorkloadGenerator.generate(e, seed: 1)
        #expect(w.workloadMetrics["trace_capture_extfrag"] == 2)
        #expect(w.workloadMetrics["trace_capture_extfrag_claims"] == 1)
        #expect(w.workloadMetrics["trace_observations"] == 2)
        #expect(w.program.agingMetrics)
    }

    /// `gfp: true`: each request carries its line's `gfp_flags=` (issue 21); without it (the
    /// default) no mask, so traces replayed before masks existed keep their hashes.
    @Test func requestsCarryTheTracedMaskWhenAsked() throws {
        let (e, dir) = try experiment(mode: "requests, gfp: true")
        defer { try? FileManager.default.removeItem(at: dir) }
        let w = WorkloadGenerator.generate(e, seed: 1)
        #expect(w.program.events.map(\.op) == [
            .alloc(request: 0, order: 0, type: .movable, zone: -1, compound: nil, gfp: .highuserMovable),
            .alloc(request: 1, order: 2, type: .unmovable, zone: -1, compound: nil, gfp: .kernel),
            .free(request: 0),
            .alloc(request: 2, order: 0, type: .reclaimable, zone: -1, compound: nil, gfp: [.nofs, .reclaimable]),
            .alloc(request: 3, order: 3, type: .unmovable, zone: -1, compound: nil, gfp: .nowait),
            .free(request: 1),
        ])
        let (plain, dir2) = try experiment(mode: "requests")
        defer { try? FileManager.default.removeItem(at: dir2) }
        #expect(WorkloadGenerator.generate(plain, seed: 1).sha256 != w.sha256)
        // An unknown flag is an error at its line only when the masks are used.
        let bogus = Self.trace.replacingOccurrences(of: "gfp_flags=GFP_KERNEL", with: "gfp_flags=GFP_KERNEL|__GFP_BOGUS")
        let (ok, dir3) = try experiment(mode: "requests", trace: bogus)
        defer { try? FileManager.default.removeItem(at: dir3) }
        #expect(ok.workload.count == 1)
        #expect(throws: YAMLDecodeError.self) { _ = try experiment(mode: "requests, gfp: true", trace: bogus) }
        do { _ = try experiment(mode: "requests, gfp: true", trace: bogus) } catch {
            #expect("\(error)".contains("t.txt:4:") && "\(error)".contains("gfp_flags names a flag"), "\(error)")
        }
    }

    /// pfn: every allocation pinned. 0x602 lies inside the order-2 block at 0x600 that the trace
    /// still holds, so no variant can return it: one divergence at event 3, explained.
    @Test func pfnModeRecordsDivergences() throws {
        let (e, dir) = try experiment(mode: "pfn")
        defer { try? FileManager.default.removeItem(at: dir) }
        let w = WorkloadGenerator.generate(e, seed: 1)
        #expect(w.program.events.map(\.op) == [
            .allocAt(pfn: 0x400, request: 0, order: 0, type: .movable, compound: nil, gfp: nil),
            .allocAt(pfn: 0x600, request: 1, order: 2, type: .unmovable, compound: nil, gfp: nil),
            .free(request: 0),
            .allocAt(pfn: 0x602, request: 2, order: 0, type: .reclaimable, compound: nil, gfp: nil),
            .free(request: 1),
        ])
        let variant = try #require(Variants.named("linux-5.19"))
        let raw = variant.run(w.program, RunOptions())
        // Issue 18 item 2: a divergence of the pinned replay is not a fault (the kernel would not
        // crash on anything here); it is kept apart and counted by its own metric.
        #expect(raw.faults.isEmpty && raw.metrics["faults"] == 0)
        #expect(raw.divergences.count == 1)
        #expect(raw.divergences.first?.event == 3)
        #expect(raw.divergences.first?.kind == "trace-pfn-divergence")
        #expect(raw.divergences.first?.detail == "mm_page_alloc pfn 0x602 order 0 reclaimable: pfn 0x602 is in use in this "
                + "variant (allocated block 0x600 order 2 unmovable)")
        #expect(raw.metrics["allocs"] == 2 && raw.metrics["frees"] == 2)
        let record = ExperimentRunner(jobs: 1).run(try e.selecting(variants: ["linux-5.19"], seedCount: 1)).runs[0]
        #expect(record.metrics["trace_pfn_divergences"] == 1 && record.metrics["faults"] == 0 && record.faults.isEmpty)
        #expect(record.extras?.pinnedDivergences?.map(\.event) == [3])
    }

    /// A bad trace line is reported at the trace's file:line:column, at decode time.
    @Test func badLineIsLocated() throws {
        let bad = Self.trace.replacingOccurrences(of: "pfn=0x602 order=0", with: "pfn=0x602 order=zero")
        do {
            _ = try experiment(mode: "requests", trace: bad)
            Issue.record("expected an error")
        } catch let e as YAMLDecodeError {
            #expect(e.file == "traces/t.txt" && e.line == 8)
            #expect(e.message == "mm_page_alloc: order='zero' is not a number")
        }
    }

    @Test func orderAboveMaxOrderIsRefused() throws {
        let bad = Self.trace.replacingOccurrences(of: "pfn=0x600 order=2", with: "pfn=0x600 order=11")
        #expect(throws: YAMLDecodeError.self) { _ = try experiment(mode: "requests", trace: bad) }
    }

    @Test func missingFileIsRefused() {
        let yaml = Snippet.experiment(workload: "workload:\n  - trace: { file: traces/none.txt }")
        #expect(decodeError(yaml)?.message.hasPrefix("trace file traces/none.txt not found") == true)
    }

    /// The workload hash covers the trace's content: one changed order changes it.
    @Test func hashCoversTheTrace() throws {
        let (a, d1) = try experiment(mode: "requests")
        let (b, d2) = try experiment(mode: "requests",
                                     trace: Self.trace.replacingOccurrences(of: "pfn=0x400 order=0 migratetype=1",
                                                                            with: "pfn=0x400 order=1 migratetype=1"))
        defer { try? FileManager.default.removeItem(at: d1); try? FileManager.default.removeItem(at: d2) }
        #expect(WorkloadGenerator.generate(a, seed: 1).sha256 != WorkloadGenerator.generate(b, seed: 1).sha256)
        #expect(WorkloadGenerator.generate(a, seed: 1).sha256 == WorkloadGenerator.generate(a, seed: 2).sha256)
    }

    /// Before v4.4 (016c13daa5c9) MIGRATE_RECLAIMABLE was 1 and MIGRATE_MOVABLE 2.
    @Test func preV44Numbering() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tracephase-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.trace.write(to: dir.appendingPathComponent("t.txt"), atomically: true, encoding: .utf8)
        let yaml = Snippet.experiment(workload: "workload:\n  - trace: { file: t.txt, migratetypes: pre-v4.4 }")
        let e = try Experiment.decode(yaml: yaml, file: dir.appendingPathComponent("t.yaml").path)
        let types = WorkloadGenerator.generate(e, seed: 1).program.events.compactMap { event -> AllocType? in
            if case let .alloc(_, _, type, _, _, _) = event.op { return type }
            return nil
        }
        #expect(types == [.reclaimable, .unmovable, .movable, .unmovable])
    }

    /// The reasons a pinned allocation cannot be served, as the engine's state says.
    @Test func divergenceReasons() throws {
        typealias S = Combine<PageblockAlignment, AccountingMoveTime, MergeRules518, Era2022>
        let layout = MachineLayout(geometry: .x86_64, ramStartPfn: 0, zones: [ZoneSpec(name: "Normal", pages: 0x8000)],
                                   memoryBlockPages: 0x8000)
        let m = Machine<S>(layout: layout)
        #expect(Simulation<S>.whyNotFree(m, pfn: 0x9000, order: 0) == "outside this machine's RAM")
        #expect(Simulation<S>.whyNotFree(m, pfn: 0x401, order: 1) == "pfn not aligned to order 1")
        // Isolating the pageblock at 0x400 moves the free order-10 block headed there onto the
        // ISOLATE list whole (move_freepages_block moves buddies by their head).
        _ = m.startIsolatePageRange(0x400, 0x600, restore: .movable)
        #expect(Simulation<S>.whyNotFree(m, pfn: 0x400, order: 0) == "free block 0x400 order 10 is on a MIGRATE_ISOLATE list")
    }
}
