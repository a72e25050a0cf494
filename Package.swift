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
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
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
        .target(name: "TrailEngine", dependencies: ["TrailModel", "TrailIngest", "TrailAnalysis"]),
        .executableTarget(
            name: "keytrail",
            dependencies: [
                "TrailEngine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(
            name: "TrailTestSupport",
            dependencies: ["TrailModel", "TrailIngest", "TrailAnalysis", "CZlib"]
        ),
        .testTarget(name: "TrailModelTests", dependencies: ["TrailModel", "TrailTestSupport"]),
        .testTarget(name: "TrailIngestTests", dependencies: ["TrailIngest", "TrailTestSupport"]),
        .testTarget(name: "TrailAnalysisTests", dependencies: ["TrailAnalysis", "TrailIngest", "TrailTestSupport"]),
        .testTarget(name: "TrailEngineTests", dependencies: ["TrailEngine", "TrailTestSupport"]),
        .testTarget(name: "KeyTrailCLITests", dependencies: ["keytrail", "TrailTestSupport"]),
    ]
)
