/// The unit a metric (or a per-iteration series) is counted in, for axis labels and headings.
///
/// Derived from the name so that series (`nr_free_pages_drift_per_cycle`) and metrics added
/// later get a sensible unit without a catalog change: page counters and drifts are pages,
/// `*pageblocks` are pageblocks, orders are orders, the unusable free index is Mel Gorman's
/// index ×1000, everything else counts calls or events.
enum MetricUnits {
    static func unit(_ name: String) -> String {
        if name.contains("largest_free_order") { return "order" }
        if name.hasPrefix("unusable_free_index") || name.hasPrefix("fragmentation_index") { return "index ×1000" }
        if name.hasSuffix("_permille") { return "‰" }
        if name.hasPrefix("pgsteal") || name.hasPrefix("pgscan") || name.hasPrefix("lru_") || name == "pswpout" { return "pages" }
        if name.hasPrefix("extfrag") { return "events" }
        if name.hasPrefix("allocstall") { return "stalls" }
        if name.contains("pageblocks") { return "pageblocks" }
        if name == "nr_free_order_mismatch" { return "blocks" }
        if name.contains("pages") || name.hasPrefix("nr_free") { return "pages" }
        if name == "events" || name.hasPrefix("trace_") { return "events" }
        if name == "watermark_misjudgements" { return "checks" }
        if name.hasPrefix("offline") || name.hasPrefix("online") { return "memory blocks" }
        return "calls"
    }
}
