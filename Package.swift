// swift-tools-version:6.0
// Arbiter: verifiable rewards and a GRPO trainer. See ../shared/ARCHITECTURE.md for the module map.
import PackageDescription

let package = Package(
    name: "Arbiter",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "MathVerify", targets: ["MathVerify"]),
        .library(name: "RewardKit", targets: ["RewardKit"]),
        .library(name: "GRPO", targets: ["GRPO"]),
        .executable(name: "reward", targets: ["reward"]),
        .executable(name: "grpo", targets: ["grpo"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    ],
    targets: [
        // MARK: Reward side
        .target(name: "MathVerify"),
        .target(name: "RewardKit", dependencies: ["MathVerify"]),
        .target(
            name: "RewardService",
            dependencies: ["RewardKit", .product(name: "Hummingbird", package: "hummingbird")]
        ),
        .executableTarget(
            name: "reward",
            dependencies: [
                "RewardKit",
                "RewardService",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: Trainer side
        .target(name: "GRPO", dependencies: ["RewardKit"]),
        .executableTarget(
            name: "grpo",
            dependencies: [
                "GRPO",
                "RewardKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: Tests
        .testTarget(name: "MathVerifyTests", dependencies: ["MathVerify"]),
        .testTarget(name: "RewardKitTests", dependencies: ["RewardKit"]),
        .testTarget(
            name: "RewardServiceTests",
            dependencies: ["RewardService", .product(name: "HummingbirdTesting", package: "hummingbird")]
        ),
        .testTarget(name: "GRPOTests", dependencies: ["GRPO", "RewardKit"]),
        .testTarget(name: "EndToEndTests", dependencies: ["RewardKit", "GRPO", "reward", "grpo"]),
    ]
)
