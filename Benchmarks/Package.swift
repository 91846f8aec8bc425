// swift-tools-version: 6.1
// Benchmarks live in their own package so the main build stays lean.
// Run: cd Benchmarks && swift package benchmark
import PackageDescription

let package = Package(
    name: "checkout-sim-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "checkout-sim", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        // The same Hummingbird as `serve`, for the bare baseline of scripts/bench-serve.sh.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
    ],
    targets: [
        .executableTarget(
            name: "CheckoutBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "CheckoutSimKit", package: "checkout-sim"),
            ],
            path: "Benchmarks/CheckoutBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // A fixed reply from Hummingbird alone: the baseline `serve` is measured against.
        .executableTarget(
            name: "bare-hummingbird",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")],
            path: "Benchmarks/BareHummingbird"
        ),
    ],
    // The engine's types are not Sendable; benchmarks run them on one thread.
    swiftLanguageModes: [.v5]
)
