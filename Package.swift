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
        // The Garden daemon: NIO's HTTP/1 codec we can take off a connection mid-request, which
        // Garden's hijacked process streams need (a framework's response model would fight it).
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
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
            "RundleCore", "RundleJSON", "RundleKeeper", "RundleOS", "RundleServer",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "rundle", dependencies: ["RundleCLI"]),
        // Garden's wire format (routes, JSON bodies, errors, process payloads): pure, no I/O.
        .target(name: "GardenProtocol", dependencies: ["RundleJSON"]),
        // A Garden client for Swift programs and Rundle's tests (blocking sockets, no NIO).
        .target(name: "GardenClient", dependencies: ["GardenProtocol", "RundleJSON", "RundleOS"]),
        // `rundle serve`: the Garden HTTP API over the Containerizer.
        .target(name: "RundleServer", dependencies: [
            "GardenProtocol", "RundleCore", "RundleJSON", "RundleKeeper", "RundleOS", "CRundleOS",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),

        .testTarget(name: "RundleJSONTests", dependencies: ["RundleJSON"]),
        .testTarget(name: "RundleOSTests", dependencies: ["RundleOS"]),
        .testTarget(name: "RundleOCITests", dependencies: ["RundleOCI"]),
        .testTarget(name: "RundleRuntimeTests", dependencies: ["RundleRuntime"]),
        .testTarget(name: "RundleCoreTests", dependencies: ["RundleCore"]),
        .testTarget(name: "RundleCLITests", dependencies: ["RundleCLI"]),
        .testTarget(name: "RundleKeeperTests", dependencies: ["RundleKeeper"]),
        .testTarget(name: "GardenProtocolTests", dependencies: ["GardenProtocol", "RundleJSON"]),
        .testTarget(name: "GardenClientTests", dependencies: ["GardenClient", "GardenProtocol", "RundleJSON", "RundleOS"]),
        .testTarget(name: "RundleServerTests", dependencies: ["RundleServer", "GardenProtocol"]),
        .testTarget(name: "RundleIntegrationTests", dependencies: ["RundleJSON", "GardenClient", "GardenProtocol"]),
    ]
)
