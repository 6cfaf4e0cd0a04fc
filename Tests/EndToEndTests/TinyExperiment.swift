/// The end-to-end experiment: a 16 MiB machine (three 4 MiB memory blocks of Normal, one of
/// Movable), three variants that disagree on alignment and accounting, three seeds, and a scripted
/// pin / contig / watermark sequence so the report has an ops table. A run of all nine
/// (variant, seed) pairs takes about 0.1 s in a debug build.
///
/// Three seeds keep every mean a multiple of 1/3, so a two-decimal rounding is never a tie and
/// the tests can format expected cells with plain `%.2f`.
enum TinyExperiment {
    static let name = "e2e-tiny"
    static let variants = ["linux-5.18", "zi-yan-v11", "linux-5.19"]
    static let baseline = "linux-5.18"
    static let seeds: [UInt64] = [1, 2, 3]

    /// - Parameter contigCount: attempts of the `contig` phase; history tests change it between
    ///   commits so metrics move.
    static func yaml(contigCount: Int = 4) -> String {
        """
        schema: 1
        name: \(name)
        description: End-to-end test fixture on a 16 MiB machine.
        machine:
          preset: x86_64
          memory_block: 4MiB
          zones:
            - { name: Normal, size: 12MiB }
            - { name: Movable, size: 4MiB }
        variants: [\(variants.joined(separator: ", "))]
        baseline: \(baseline)
        seeds: \(seeds.count)
        workload:
          - fill:  { until: 60%, mix: { movable: 80%, unmovable: 20% }, orders: { 0: 90%, 3: 10% } }
          - churn: { events: 2000, mix: { movable: 80%, unmovable: 20% }, orders: { 0: 100% }, free_ratio: 50% }
          - contig: { count: \(contigCount), size: 2MiB }
          - ops:
              - alloc: { pfn: 0x5ff, order: 0, type: unmovable }
              - contig: { start: 0x600, pages: 512 }
              - watermark: { zone: Normal, mark: high }
        expect:
          - { variant: all, metric: invariant_violations, equals: 0 }

        """
    }
}
