import Benchmark
import CheckoutCore
import Foundation
import MockBackend
import Scenarios
import Simulation
import TerminalUI

/// A simulation with one item in the cart and `requests` validations already made.
func warmSimulation(requests: Int, store: BackendStore = InMemoryBackendStore()) -> Simulation {
    let sim = Simulation(client: CheckoutClient(storage: InMemoryKeyValueStorage()),
                         backend: MockBackend(store: store, seed: 1), clock: VirtualClock())
    sim.addItem(sku: "BEANS-1KG", qty: 1)
    for _ in 0..<requests {
        sim.retry()
        sim.runUntilIdle()
    }
    return sim
}

func temporaryDirectory() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("cs-bench-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .peakMemoryResident, .mallocCountTotal],
        maxDuration: .seconds(3), maxIterations: 10_000)

    // MARK: Render

    for entries in [10, 10_000, 100_000] {
        Benchmark("render 120x40, \(entries) timeline entries",
                  configuration: .init(metrics: [.wallClock, .throughput], maxDuration: .seconds(2))) { (benchmark: Benchmark, model: AppModel) in
            for _ in benchmark.scaledIterations {
                blackHole(View.render(model, width: 120, height: 40))
            }
        } setup: {
            let model = AppModel(simulation: warmSimulation(requests: entries), stateLabel: "bench")
            model.tick()
            return model
        }
    }

    // MARK: Engine

    // One step is checkout → backend → store; the per-step cost must not grow with history.
    for warm in [1, 200, 20_000] {
        Benchmark("engine step in memory after \(warm) steps",
                  configuration: .init(metrics: [.wallClock, .throughput], scalingFactor: .kilo)) { (benchmark: Benchmark, sim: Simulation) in
            for _ in benchmark.scaledIterations {
                sim.retry()
                sim.runUntilIdle()
            }
        } setup: {
            warmSimulation(requests: warm)
        }
    }

    Benchmark("engine step with the SQLite store",
              configuration: .init(metrics: [.wallClock, .throughput], maxDuration: .seconds(3))) { (benchmark: Benchmark, sim: Simulation) in
        for _ in benchmark.scaledIterations {
            sim.retry()
            sim.runUntilIdle()
        }
    } setup: {
        warmSimulation(requests: 1, store: try SQLiteBackendStore(directory: temporaryDirectory()))
    }

    for requests in [1, 100_000] {
        Benchmark("RSS after \(requests) requests",
                  configuration: .init(metrics: [.peakMemoryResident], maxIterations: 1)) { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(warmSimulation(requests: requests))
            }
        }
    }

    // MARK: Scenarios

    Benchmark("parse a catalog scenario",
              configuration: .init(metrics: [.wallClock, .throughput])) { (benchmark: Benchmark, text: String) in
        for _ in benchmark.scaledIterations {
            blackHole(try ScenarioParser.parse(yaml: text, file: "bench.yaml"))
        }
    } setup: {
        try String(contentsOfFile: "../scenarios/04-rotation.yaml", encoding: .utf8)
    }

    // MARK: Journal

    for (label, makeStore) in [("memory", { InMemoryBackendStore() as BackendStore }),
                               ("SQLite", { (try! SQLiteBackendStore(directory: temporaryDirectory())) as BackendStore })] {
        for existing in [100, 100_000] {
            Benchmark("journal append (\(label)) at \(existing) entries",
                      configuration: .init(metrics: [.wallClock, .throughput], maxDuration: .seconds(2))) { (benchmark: Benchmark, store: BackendStore) in
                for _ in benchmark.scaledIterations {
                    try store.appendJournal(JournalEntry(atMillis: 0, kind: .request, method: "bench", detail: "{\"items\":[]}"))
                }
            } setup: {
                let store = makeStore()
                try store.transaction {
                    for _ in 0..<existing {
                        try store.appendJournal(JournalEntry(atMillis: 0, kind: .request, method: "bench", detail: "{\"items\":[]}"))
                    }
                }
                return store
            }
        }
    }
}
