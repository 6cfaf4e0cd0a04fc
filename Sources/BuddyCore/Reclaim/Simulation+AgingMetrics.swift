/// The metrics of aged workloads and of the reclaim stand-in, added to a run's metric set only
/// when the program asks for them (`Program.agingMetrics`, `Program.reclaim`), so every older
/// experiment reports exactly the metrics it always did.
extension Simulation {
    public func collectAgingMetrics(_ m: Machine<S>, _ out: inout RawRun, _ tally: Tally) {
        let s = m.stats
        let h = tally.highOrder
        out.metrics["highorder_attempts"] = h.highOrderAttempts
        out.metrics["highorder_successes"] = h.highOrderSuccesses
        out.metrics["highorder_success_permille"] = h.highOrderAttempts > 0 ? h.highOrderSuccesses * 1000 / h.highOrderAttempts : 0
        out.metrics["extfrag_events"] = s.extfragEvents
        out.metrics["extfrag_claims"] = s.extfragClaims
        out.metrics["extfrag_steals"] = s.extfragEvents - s.extfragClaims
        out.metrics["unusable_free_index_o3"] = m.unusableFreeIndex(order: min(3, m.geometry.maxOrder))
        guard !tally.classRequests.isEmpty else { return }
        for c in PageClass.allCases where c != .none {
            let i = Int(c.rawValue)
            out.metrics["\(c.name)_requests"] = tally.classRequests[i]
            out.metrics["\(c.name)_failures"] = tally.classFailures[i]
        }
    }

    /// vmstat names (mm/vmstat.c) wherever the kernel has one.
    public func collectReclaimMetrics(_ m: Machine<S>, _ out: inout RawRun) {
        let r = m.reclaim
        out.metrics["kswapd_wakeups"] = m.stats.kswapdWakeups
        out.metrics["pgscan_kswapd"] = r.pgscanKswapd
        out.metrics["pgsteal_kswapd"] = r.pgstealKswapd
        out.metrics["pgscan_direct"] = r.pgscanDirect
        out.metrics["pgsteal_direct"] = r.pgstealDirect
        out.metrics["pgsteal_file"] = r.pgstealFile
        out.metrics["pgsteal_anon"] = r.pgstealAnon
        out.metrics["pswpout"] = r.pswpout
        out.metrics["allocstall_normal"] = r.allocstallNormal
        out.metrics["allocstall_movable"] = r.allocstallMovable
        out.metrics["pageoutrun"] = r.pageoutrun
        out.metrics["kswapd_kcompactd_wakeups"] = r.kcompactdWakeRequests
        // mmtests' latency proxy, for the work the allocating tasks do themselves: pages
        // direct reclaim scanned per successful high-order request (compaction's scanned and
        // migrated pages join it once compaction is modelled).
        if let s = out.metrics["highorder_successes"], s > 0 {
            out.metrics["pgscan_direct_per_highorder_success"] = r.pgscanDirect / s
            // Compaction's work (direct, kcompactd and proactive together, as the cover letter
            // of the defrag_mode series totals it) per 1000 successful high-order requests
            // (per single success the integer quotient is often 0).
            if m.compactionEnabled {
                let c = m.compactionCounters
                out.metrics["compact_scanned_per_1000_highorder_successes"] = (c.compactMigrateScanned + c.compactFreeScanned) * 1000 / s
                out.metrics["pgmigrate_success_per_1000_highorder_successes"] = c.pgmigrateSuccess * 1000 / s
            }
        }
        // v6.15's NR_FREE_PAGES_BLOCKS (vmstat nr_free_pages_blocks) at the end, summed over zones:
        // what defrag_mode's kswapd and kcompactd balance on (Strategies+DefragMode.swift).
        out.metrics["nr_free_pages_blocks"] = (0..<m.zoneCount).reduce(0) { $0 + m.nrFreePagesBlocks(zone: $1) }
    }
}
