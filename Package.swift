// swift-tools-version:6.0
// Arbiter: verifiable rewards and a GRPO trainer. See ../shared/ARCHITECTURE.md for the module map.
import PackageDescription

let package = Package(
    name: "Arbiter",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "MathVerify", targets: ["MathVerify"]),
        .library(name: "RewardKit", targets: ["RewardKit"]),
        .library(name: "Sandbox", targets: ["Sandbox"]),
        .library(name: "CodeRewards", targets: ["CodeRewards"]),
        .executable(name: "reward", targets: ["reward"]),
        .executable(name: "arbiter-box-init", targets: ["arbiter-box-init"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // MARK: Reward side
        .target(name: "MathVerify"),
        .target(name: "RewardKit", dependencies: ["MathVerify"]),
        .target(name: "CSandbox", linkerSettings: [.linkedLibrary("seccomp")]),
        .executableTarget(name: "arbiter-box-init", dependencies: ["CSandbox"]),
        .target(name: "Sandbox", dependencies: ["CSandbox"]),
        .target(
            name: "CodeRewards", dependencies: ["RewardKit", "Sandbox"],
            resources: [.embedInCode("Python/driver.py"), .embedInCode("Python/grader.py")]
        ),
        .executableTarget(
            name: "reward",
            dependencies: [
                "RewardKit", "CodeRewards", "Sandbox",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: Tests
        .testTarget(name: "MathVerifyTests", dependencies: ["MathVerify"]),
        .testTarget(name: "RewardKitTests", dependencies: ["RewardKit"]),
        .testTarget(name: "SandboxTests", dependencies: ["Sandbox", "arbiter-box-init"]),
        .testTarget(name: "CodeRewardsTests", dependencies: ["CodeRewards", "arbiter-box-init"]),
        .testTarget(name: "EndToEndTests", dependencies: ["RewardKit", "reward"]),
    ]
)
