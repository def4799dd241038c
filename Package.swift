// swift-tools-version:6.0
// Arbiter: verifiable rewards and a GRPO trainer. docs/ARCHITECTURE.md is the module map; each target declares
// exactly what it imports (scripts/check-imports.py checks both).
import PackageDescription

let package = Package(
    name: "Arbiter",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "MathVerify", targets: ["MathVerify"]),
        .library(name: "RewardKit", targets: ["RewardKit"]),
        .library(name: "Sandbox", targets: ["Sandbox"]),
        .library(name: "CodeRewards", targets: ["CodeRewards"]),
        .library(name: "GRPO", targets: ["GRPO"]),
        .executable(name: "reward", targets: ["reward"]),
        .library(name: "Tensor", targets: ["Tensor"]),
        .library(name: "TinyLM", targets: ["TinyLM"]),
        .library(name: "RewardModels", targets: ["RewardModels"]),
        .executable(name: "grpo", targets: ["grpo"]),
        .executable(name: "arbiter-box-init", targets: ["arbiter-box-init"]),
        .executable(name: "arbiter-python-zygote", targets: ["arbiter-python-zygote"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        // Hummingbird's own dependencies, named because the service uses their types directly (HTTP fields,
        // ByteBuffer, the HTTP parts its connection handler sees): the versions Hummingbird resolves.
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
    ],
    targets: [
        // MARK: Reward side
        .target(name: "MathVerify"),
        .target(name: "RewardKit", dependencies: ["MathVerify"]),
        .target(name: "CSandbox", linkerSettings: [.linkedLibrary("seccomp")]),
        .executableTarget(name: "arbiter-box-init", dependencies: ["CSandbox"]),
        .systemLibrary(
            name: "CPython", path: "Sources/CPython", pkgConfig: "python3-embed", providers: [.apt(["libpython3-dev"])]
        ),
        .executableTarget(name: "arbiter-python-zygote", dependencies: ["CSandbox", "CPython"]),
        .target(name: "Sandbox", dependencies: ["CSandbox"]),
        .target(
            name: "CodeRewards", dependencies: ["RewardKit", "Sandbox"],
            resources: [.embedInCode("Python/driver.py"), .embedInCode("Python/grader.py")]
        ),
        .target(
            name: "RewardService",
            dependencies: [
                "RewardKit", "CodeRewards", "Sandbox", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            ]
        ),
        .executableTarget(
            name: "reward",
            dependencies: [
                "MathVerify", "RewardKit", "CodeRewards", "RewardModels", "Sandbox", "RewardService",
                "arbiter-box-init",
                "arbiter-python-zygote", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),

        // MARK: Trainer side
        .target(name: "GRPO", dependencies: ["RewardKit"]),

        // MARK: Engine
        .systemLibrary(
            name: "COpenBLAS",
            path: "Sources/COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        // Chooses the best OpenBLAS kernel at load time (a restart) in every binary that links Tensor.
        .target(name: "CBLASKernel"),
        .target(name: "Tensor", dependencies: ["COpenBLAS", "CBLASKernel"]),
        .target(name: "TinyLM", dependencies: ["Tensor"]),
        .target(name: "RewardModels", dependencies: ["RewardKit", "Tensor", "TinyLM"]),
        .executableTarget(
            name: "grpo",
            dependencies: [
                "GRPO", "RewardKit", "CodeRewards", "RewardModels", "Tensor", "TinyLM",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: Tests
        .testTarget(name: "MathVerifyTests", dependencies: ["MathVerify"], exclude: ["Conformance"]),
        .testTarget(name: "RewardKitTests", dependencies: ["RewardKit"], exclude: ["Fixtures"]),
        .testTarget(name: "SandboxTests", dependencies: ["Sandbox", "arbiter-box-init", "arbiter-python-zygote"]),
        .testTarget(
            name: "CodeRewardsTests",
            dependencies: ["CodeRewards", "RewardKit", "Sandbox", "arbiter-box-init", "arbiter-python-zygote"]
        ),
        .testTarget(
            name: "RewardServiceTests",
            dependencies: [
                "RewardService", "RewardKit", "CodeRewards", "Sandbox", "arbiter-box-init", "arbiter-python-zygote",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(name: "GRPOTests", dependencies: ["GRPO", "RewardKit"]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "RewardKit", "GRPO", "RewardModels", "Tensor", "TinyLM", "reward", "grpo", "arbiter-box-init",
                "arbiter-python-zygote",
            ]
        ),
        .testTarget(name: "TensorTests", dependencies: ["Tensor"]),
        .testTarget(name: "RewardModelsTests", dependencies: ["RewardModels", "RewardKit", "Tensor", "TinyLM"]),
        .testTarget(name: "TinyLMTests", dependencies: ["TinyLM", "Tensor"], exclude: ["Reference"]),
    ]
)
