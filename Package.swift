// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "keytrail",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "keytrail", targets: ["keytrail"]),
        .library(name: "TrailEngine", targets: ["TrailEngine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
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
        .target(name: "TrailModel"),
        .target(name: "TrailIngest", dependencies: ["TrailModel", "CZlib", "CLibdeflate"]),
        .target(name: "TrailAnalysis", dependencies: ["TrailModel"]),
        .target(
            name: "TrailStore",
            dependencies: ["TrailModel", "TrailAnalysis", "CLibdeflate", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .target(
            name: "TrailEngine",
            dependencies: [
                "TrailModel", "TrailIngest", "TrailAnalysis", "TrailStore", .product(name: "Yams", package: "Yams"),
            ]
        ),
        .executableTarget(
            name: "keytrail",
            dependencies: [
                "TrailEngine",
                "TrailStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(
            name: "TrailTestSupport",
            dependencies: ["TrailModel", "TrailIngest", "TrailAnalysis", "TrailEngine", "CZlib"]
        ),
        .testTarget(name: "TrailModelTests", dependencies: ["TrailModel", "TrailTestSupport"]),
        .testTarget(name: "TrailIngestTests", dependencies: ["TrailIngest", "TrailTestSupport"]),
        .testTarget(name: "TrailAnalysisTests", dependencies: ["TrailAnalysis", "TrailIngest", "TrailTestSupport"]),
        .testTarget(name: "TrailRulesTests", dependencies: ["TrailAnalysis", "TrailEngine", "TrailTestSupport"]),
        .testTarget(name: "TrailEngineTests", dependencies: ["TrailEngine", "TrailTestSupport"]),
        .testTarget(
            name: "TrailStoreTests",
            dependencies: [
                "TrailStore", "TrailEngine", "TrailTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(name: "KeyTrailCLITests", dependencies: ["keytrail", "TrailStore", "TrailTestSupport"]),
    ]
)
