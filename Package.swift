// swift-tools-version:6.0
// Arbiter: verifiable rewards and a GRPO trainer. See ../shared/ARCHITECTURE.md for the module map.
import PackageDescription

let package = Package(
    name: "Arbiter",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "MathVerify", targets: ["MathVerify"]),
        .library(name: "RewardKit", targets: ["RewardKit"]),
        .executable(name: "reward", targets: ["reward"]),
        .library(name: "Tensor", targets: ["Tensor"]),
        .library(name: "TinyLM", targets: ["TinyLM"]),
        .executable(name: "grpo", targets: ["grpo"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // MARK: Reward side
        .target(name: "MathVerify"),
        .target(name: "RewardKit", dependencies: ["MathVerify"]),
        .executableTarget(
            name: "reward",
            dependencies: [
                "RewardKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: Engine
        .systemLibrary(
            name: "COpenBLAS",
            path: "Sources/COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        .target(name: "Tensor", dependencies: ["COpenBLAS"]),
        .target(name: "TinyLM", dependencies: ["Tensor"]),
        .executableTarget(
            name: "grpo",
            dependencies: [
                "Tensor",
                "TinyLM",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: Tests
        .testTarget(name: "MathVerifyTests", dependencies: ["MathVerify"]),
        .testTarget(name: "RewardKitTests", dependencies: ["RewardKit"]),
        .testTarget(name: "TensorTests", dependencies: ["Tensor"]),
        .testTarget(name: "TinyLMTests", dependencies: ["TinyLM", "Tensor"], exclude: ["Reference"]),
        .testTarget(name: "EndToEndTests", dependencies: ["RewardKit"]),
    ]
)
