import CheckoutCore
import Dispatch
import Foundation
import Scenarios
import Simulation

/// What to search.
public struct ExploreConfiguration: Sendable {
    /// The longest sequence tried.
    public var depth: Int
    public var client: ClientPolicy
    public var doubleSubmitGuard: Bool
    public var moves: [Move]
    public var invariants: [Invariant]
    /// Stop cleanly after this long (`nil`: explore to the depth).
    public var budgetSeconds: Double?
    /// Threads expanding the frontier (the machine's cores by default).
    public var workers: Int
    /// Measure what the client costs the shopper on the paying paths (`ExploreResult.cost`).
    public var measuresCost = false

    /// `moves`: `nil` for every move under `client` (`Alphabet.all(for:)`).
    public init(depth: Int = 4, client: ClientPolicy = .standard, doubleSubmitGuard: Bool = true,
                moves: [Move]? = nil, invariants: [Invariant] = Invariant.all, budgetSeconds: Double? = nil,
                workers: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.depth = depth
        self.client = client
        self.doubleSubmitGuard = doubleSubmitGuard
        self.moves = moves ?? Alphabet.all(for: client)
        self.invariants = invariants
        self.budgetSeconds = budgetSeconds
        self.workers = max(workers, 1)
    }

    /// The starting state every sequence is played from: the scenario format's default setup.
    public var setup: ScenarioSetup {
        var setup = ScenarioSetup()
        setup.client = client
        setup.doubleSubmitGuard = doubleSubmitGuard
        return setup
    }

    /// A fresh simulation in the starting state.
    public func makeSimulation() -> Simulation { ScenarioRunner.simulation(for: setup, seed: setup.seed, keepsJournal: false) }
}

/// The shortest sequence found that breaks one invariant.
public struct Finding: Sendable {
    public var invariant: Invariant
    /// Indices into the configuration's moves.
    public var path: [Int]
    public var moves: [Move]
    /// Different end states reached by a sequence that first breaks it (within the depth).
    public var distinct: Int

    public var depth: Int { moves.count }
}

/// Progress, as the search goes.
public struct ExploreProgress: Sendable {
    /// States reached so far (each: a move applied, its state fingerprinted and checked).
    public var states: Int
    /// Distinct states so far.
    public var distinct: Int
    /// The depth being explored.
    public var depth: Int
    /// Invariants broken so far.
    public var violations: Int
    public var seconds: Double

    public var statesPerSecond: Double { seconds > 0 ? Double(states) / seconds : 0 }
}

/// Per depth: how the state space grows.
public struct DepthStats: Sendable, Equatable, Codable {
    public var depth: Int
    /// States reached at this depth (with repeats).
    public var states: Int
    /// States first seen at this depth.
    public var distinct: Int
}

/// The outcome of a search.
public struct ExploreResult: Sendable {
    public var configuration: ExploreConfiguration
    /// One per broken invariant, in the invariants' order.
    public var findings: [Finding]
    /// The deepest level explored completely.
    public var completedDepth: Int
    /// Whether the budget stopped the search before `configuration.depth`.
    public var stoppedByBudget: Bool
    public var states: Int
    public var distinct: Int
    public var perDepth: [DepthStats]
    public var seconds: Double
    /// What the client cost the shopper over the search, when the configuration measures it.
    public var cost: ExploreCost?

    public var statesPerSecond: Double { seconds > 0 ? Double(states) / seconds : 0 }

    /// The invariants that no sequence broke within `completedDepth`.
    public var unbroken: [Invariant] {
        configuration.invariants.filter { invariant in !findings.contains { $0.invariant.name == invariant.name } }
    }
}
