// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Rundle",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "rundle", targets: ["rundle"]),
        .executable(name: "rundle-keeper", targets: ["rundle-keeper"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
    ],
    targets: [
        // yajl from libyajl-dev, through a tiny shim header (variadic yajl_gen_config wrapped).
        .systemLibrary(name: "CYajl", pkgConfig: "yajl", providers: [.apt(["libyajl-dev"])]),
        // _GNU_SOURCE calls Glibc does not import (setsid spawn, closefrom, openat2, mount API, pidfd).
        .target(name: "CRundleOS"),
        .target(name: "RundleJSON", dependencies: ["CYajl"]),
        .target(name: "RundleOS", dependencies: [
            "CRundleOS",
            .product(name: "SystemPackage", package: "swift-system"),
        ]),
        .target(name: "RundleOCI", dependencies: ["RundleJSON"]),
        .target(name: "RundleRuntime", dependencies: ["RundleOCI", "RundleOS", "RundleJSON"]),
        // The per-process keeper (and its attach client): Glibc + RundleOS only, no Foundation,
        // so each keeper costs less memory than conmon.
        .target(name: "RundleKeeper", dependencies: ["RundleOS", "RundleOCI", "RundleJSON", "CRundleOS"]),
        .executableTarget(name: "rundle-keeper", dependencies: ["RundleKeeper"]),
        .target(name: "RundleCore", dependencies: [
            "RundleJSON", "RundleOCI", "RundleOS", "RundleRuntime", "RundleKeeper",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "RundleCLI", dependencies: [
            "RundleCore", "RundleJSON", "RundleKeeper", "RundleOS",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "rundle", dependencies: ["RundleCLI"]),

        .testTarget(name: "RundleJSONTests", dependencies: ["RundleJSON"]),
        .testTarget(name: "RundleOSTests", dependencies: ["RundleOS"]),
        .testTarget(name: "RundleOCITests", dependencies: ["RundleOCI"]),
        .testTarget(name: "RundleRuntimeTests", dependencies: ["RundleRuntime"]),
        .testTarget(name: "RundleCoreTests", dependencies: ["RundleCore"]),
        .testTarget(name: "RundleCLITests", dependencies: ["RundleCLI"]),
        .testTarget(name: "RundleKeeperTests", dependencies: ["RundleKeeper"]),
        .testTarget(name: "RundleIntegrationTests", dependencies: ["RundleJSON"]),
    ]
)
