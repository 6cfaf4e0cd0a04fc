import BuddyResults

/// Faults: conditions the kernel would crash or hang on, recorded by the simulator.
///
/// A broken design can fault on every event; listing thousands of identical lines would bury the
/// first one, which is the one a reviewer needs. So each variant shows its first
/// `perVariantLimit` faults (seed order, then event order) and a count of the rest.
enum FaultsSection {
    static let perVariantLimit = 20

    /// The fault table and one "… N more" line per variant that was capped.
    static func build(_ model: ReportModel, _ style: RenderStyle) -> (table: Table, more: [String]) {
        var table = Table([Table.Column("variant"), Table.Column("seed", .right),
                           Table.Column("event", .right), Table.Column("kind"),
                           Table.Column("detail")])
        var more: [String] = []
        for variant in model.variants {
            let all = model.runs(of: variant).flatMap { run in
                run.faults.sorted { ($0.event, $0.kind, $0.detail) < ($1.event, $1.kind, $1.detail) }
                    .map { (seed: run.seed, fault: $0) }
            }
            for entry in all.prefix(perVariantLimit) {
                table.append([variant, String(entry.seed), String(entry.fault.event),
                              style.code(entry.fault.kind), entry.fault.detail])
            }
            if all.count > perVariantLimit {
                more.append("\(variant): \(all.count - perVariantLimit) more faults not shown "
                            + "(\(all.count) in total).")
            }
        }
        return (table, more)
    }

    /// Total fault records over every run of the document.
    static func total(_ model: ReportModel) -> Int {
        model.variants.reduce(0) { sum, v in sum + model.runs(of: v).reduce(0) { $0 + $1.faults.count } }
    }
}
