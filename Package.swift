// swift-tools-version:6.0
import PackageDescription

// Module map (one concept per module):
//   CPrefetch        one static inline C function: a prefetch instruction for the engine's hot loop.
//   BuddyBounds      range-checked number readers and input limits shared by every parse boundary (no deps).
//   BuddyCore        the engine: zones, free lists, alloc/free, isolation, contig, CMA, hotplug. No Foundation, no I/O.
//   BuddyVariants    variants/: one file per patch design + the explicit registry.
//   BuddyTrace       streaming reader of kmem page-tracepoint text (ftrace, trace-cmd, perf; plain/gzip/zstd).
//   BuddyYAML        system libyaml (event API) -> node tree with line/column marks; strict decoding helpers.
//   BuddyProvenance  the only code that imports libgit2: revision of the working tree, history, revspecs.
//   BuddyResults     result records (contract JSON), the on-disk results store, statistics.
//   BuddyExperiment  experiment schema, seeded workload, runner, metrics, expectations.
//   BuddyOracle      lockstep against the real kernel (User-Mode Linux): commands, log parser, comparator.
//   BuddyReport      markdown / text renderers (pure: data in, text out).
//   BuddyCLI         swift-argument-parser commands; `buddylab` is a thin main around it.
//   buddybench       release-mode engine benchmark.
//   tracebench       release-mode trace replay throughput (parse, decode, generate, simulate).
//   BuddyFuzz        the fuzz targets: one function over bytes per input format; buddyfuzz runs them under libFuzzer.
let package = Package(
    name: "buddylab",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "buddylab", targets: ["buddylab"]),
        .executable(name: "buddybench", targets: ["buddybench"]),
        .executable(name: "tracebench", targets: ["tracebench"]),
        .executable(name: "buddyfuzz", targets: ["buddyfuzz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        .systemLibrary(name: "CYAML", path: "Sources/CYAML", pkgConfig: "yaml-0.1",
                       providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "CGit2", path: "Sources/CGit2", pkgConfig: "libgit2",
                       providers: [.apt(["libgit2-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        .target(name: "CPrefetch"),
        .target(name: "BuddyBounds"),
        .target(name: "BuddyCore", dependencies: ["CPrefetch"]),
        .target(name: "BuddyVariants", dependencies: ["BuddyCore"], path: "variants", exclude: ["README.md"]),
        .target(name: "BuddyYAML", dependencies: ["CYAML"]),
        .target(name: "BuddyTrace", dependencies: ["BuddyCore", "CZlib", "BuddyBounds"]),
        .target(name: "BuddyProvenance", dependencies: ["CGit2", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "BuddyResults", dependencies: ["BuddyProvenance", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "BuddyExperiment", dependencies: [
            "BuddyBounds", "BuddyCore", "BuddyVariants", "BuddyYAML", "BuddyResults", "BuddyTrace",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "BuddyReport", dependencies: ["BuddyResults"]),
        .target(name: "BuddyOracle", dependencies: ["BuddyBounds", "BuddyCore", "BuddyVariants", "BuddyExperiment",
                                                 .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "BuddyCLI", dependencies: [
            "BuddyBounds", "BuddyExperiment", "BuddyReport", "BuddyResults", "BuddyProvenance", "BuddyVariants", "BuddyOracle",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "buddylab", dependencies: ["BuddyCLI"]),
        .executableTarget(name: "buddybench", dependencies: ["BuddyCore", "BuddyVariants"]),
        .target(name: "BuddyFuzz", dependencies: ["BuddyCore", "BuddyExperiment", "BuddyOracle", "BuddyTrace",
                                               "BuddyVariants", "BuddyYAML"]),
        .executableTarget(name: "buddyfuzz", dependencies: ["BuddyFuzz"]),
        .executableTarget(name: "tracebench", dependencies: ["BuddyCore", "BuddyExperiment", "BuddyTrace", "BuddyVariants"]),

        .testTarget(name: "BuddyCoreTests", dependencies: ["BuddyCore", "BuddyVariants"]),
        .testTarget(name: "BuddyVariantsTests", dependencies: ["BuddyCore", "BuddyVariants"]),
        .testTarget(name: "BuddyYAMLTests", dependencies: ["BuddyYAML"]),
        .testTarget(name: "BuddyTraceTests", dependencies: ["BuddyTrace", "BuddyBounds"], exclude: ["Fixtures"]),
        .testTarget(name: "BuddyProvenanceTests", dependencies: ["BuddyProvenance"]),
        .testTarget(name: "BuddyResultsTests", dependencies: ["BuddyResults"]),
        .testTarget(name: "BuddyExperimentTests", dependencies: ["BuddyExperiment", "BuddyVariants"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "BuddyReportTests", dependencies: ["BuddyReport", "BuddyResults"],
                    exclude: ["Snapshots"]),
        .testTarget(name: "BuddyOracleTests", dependencies: ["BuddyOracle", "BuddyCore", "BuddyVariants", "BuddyExperiment", "BuddyTrace"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "FuzzCorpusTests", dependencies: ["BuddyFuzz"]),
        .testTarget(name: "EndToEndTests", dependencies: ["BuddyCLI", "BuddyExperiment", "BuddyResults", "BuddyOracle"],
                    exclude: ["Fixtures"]),
    ]
)
