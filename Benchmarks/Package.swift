// swift-tools-version: 6.1
// keytrail's micro benchmarks (package-benchmark), a package of their own so that `swift test` in the root never
// builds them. Run from this folder: `swift package benchmark` (see README.md).
import PackageDescription

let package = Package(
    name: "keytrail-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "keytrail", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .systemLibrary(name: "BenchZlib", path: "Sources/BenchZlib"),
        .systemLibrary(name: "BenchLibdeflate", path: "Sources/BenchLibdeflate"),
        .systemLibrary(name: "BenchISAL", path: "Sources/BenchISAL"),
        .executableTarget(
            name: "KeytrailBenchmarks",
            dependencies: [
                "BenchZlib", "BenchLibdeflate", "BenchISAL",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "TrailIngest", package: "keytrail"),
                .product(name: "TrailAnalysis", package: "keytrail"),
                .product(name: "TrailSigma", package: "keytrail"),
            ],
            path: "Benchmarks/KeytrailBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
