// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "keytrail",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "keytrail", targets: ["keytrail"]),
        .executable(name: "keytrail-fuzz", targets: ["keytrail-fuzz"]),
        .library(name: "TrailEngine", targets: ["TrailEngine"]),
        // The hot-path modules on their own, for Benchmarks/ (package-benchmark) to measure stage by stage.
        .library(name: "TrailIngest", targets: ["TrailIngest"]),
        .library(name: "TrailAnalysis", targets: ["TrailAnalysis"]),
        .library(name: "TrailSigma", targets: ["TrailSigma"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CZlib",
            path: "Sources/CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .systemLibrary(
            name: "CLibdeflate",
            path: "Sources/CLibdeflate",
            providers: [.apt(["libdeflate-dev"])]
        ),
        // Intel's ISA-L: its inflate decodes a whole CloudTrail file ~15% faster than libdeflate on this machine.
        .systemLibrary(
            name: "CISAL",
            path: "Sources/CISAL",
            providers: [.apt(["libisal-dev"])]
        ),
        // LZ4 for the state store's key buckets: compresses them three times as fast as DEFLATE's fastest level.
        .systemLibrary(
            name: "CLZ4",
            path: "Sources/CLZ4",
            providers: [.apt(["liblz4-dev"])]
        ),
        // A header-only prefetch hint for the aggregator's hot path (no library to link).
        .systemLibrary(name: "CPrefetch", path: "Sources/CPrefetch"),
        // glibc's mallopt, which Swift's Glibc module does not expose (header only, nothing to link).
        .systemLibrary(name: "CHeap", path: "Sources/CHeap"),
        .target(name: "TrailModel"),
        .target(name: "TrailIngest", dependencies: ["TrailModel", "CZlib", "CLibdeflate", "CISAL"]),
        .target(name: "TrailAnalysis", dependencies: ["TrailModel", "CPrefetch"]),
        .target(
            name: "TrailSigma", dependencies: ["TrailModel", "TrailAnalysis", .product(name: "Yams", package: "Yams")]),
        .target(
            name: "TrailStore",
            dependencies: [
                "TrailModel", "TrailAnalysis", "CLibdeflate", "CLZ4", .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .target(
            name: "TrailAlerts",
            dependencies: [
                "TrailModel",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "TrailEngine",
            dependencies: [
                "TrailModel", "TrailIngest", "TrailAnalysis", "TrailSigma", "TrailStore", "TrailAlerts",
                .product(name: "Yams", package: "Yams"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "keytrail",
            dependencies: [
                "CHeap",
                "TrailEngine",
                "TrailSigma",
                "TrailStore",
                "TrailAlerts",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "TrailFuzzing",
            dependencies: ["TrailModel", "TrailIngest", "TrailAnalysis", "TrailSigma", "CLibdeflate"]),
        .executableTarget(name: "keytrail-fuzz", dependencies: ["TrailFuzzing"]),
        .target(
            name: "TrailTestSupport",
            dependencies: [
                "TrailModel", "TrailIngest", "TrailAnalysis", "TrailSigma", "TrailEngine", "TrailAlerts", "CZlib",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(name: "TrailModelTests", dependencies: ["TrailModel", "TrailTestSupport"]),
        .testTarget(name: "TrailIngestTests", dependencies: ["TrailIngest", "TrailTestSupport"]),
        .testTarget(name: "TrailAnalysisTests", dependencies: ["TrailAnalysis", "TrailIngest", "TrailTestSupport"]),
        .testTarget(
            name: "TrailRulesTests",
            dependencies: [
                "TrailAnalysis", "TrailSigma", "TrailEngine", "TrailTestSupport",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .testTarget(name: "TrailEngineTests", dependencies: ["TrailEngine", "TrailTestSupport"]),
        .testTarget(
            name: "TrailStoreTests",
            dependencies: [
                "TrailStore", "TrailEngine", "TrailTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "TrailAlertsTests",
            dependencies: [
                "TrailAlerts", "TrailEngine", "TrailTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .testTarget(name: "TrailFuzzingTests", dependencies: ["TrailFuzzing", "TrailIngest", "TrailTestSupport"]),
        .testTarget(
            name: "KeyTrailCLITests", dependencies: ["keytrail", "TrailStore", "TrailAlerts", "TrailTestSupport"]),
    ]
)
