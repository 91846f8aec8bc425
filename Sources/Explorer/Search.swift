import Dispatch
import Foundation
import Simulation
import Synchronization

/// Breadth-first search over sequences of moves: level by level, so the first sequence
/// found that breaks an invariant is a shortest one. States already seen are pruned by
/// fingerprint. Each level's frontier is split into chunks that the workers expand in
/// parallel; the chunks' results are merged in order, so the findings do not depend on
/// the number of workers or on timing.
public struct Explorer: Sendable {
    public var configuration: ExploreConfiguration

    public init(_ configuration: ExploreConfiguration) {
        self.configuration = configuration
    }

    /// Runs the search; `progress` is called from the workers now and then (rate it yourself).
    public func run(progress: (@Sendable (ExploreProgress) -> Void)? = nil) -> ExploreResult {
        let started = ContinuousClock.now
        let deadline = configuration.budgetSeconds.map { started + .milliseconds(Int64($0 * 1000)) }
        let root = configuration.makeSimulation()
        let rootHistory = CartHistory()
        var seen: Set<Fingerprint> = [Fingerprint(root, history: rootHistory)]
        var frontier = Frontier(depth: 0, paths: [], count: 1)
        var found: [Int: (path: [Int], states: Set<Fingerprint>)] = [:]
        var result = ExploreResult(configuration: configuration, findings: [], completedDepth: 0, stoppedByBudget: false,
                                   states: 0, distinct: 1, perDepth: [], seconds: 0,
                                   cost: configuration.measuresCost ? ExploreCost() : nil)
        let counter = ProgressCounter()
        for depth in 1...max(configuration.depth, 1) where configuration.depth >= 1 {
            let chunks = frontier.chunks(preferred: 256)
            let outputs = ChunkOutputs(count: chunks.count)
            let (base, known, violations, level) = (result.states, seen, found.count, frontier)
            DispatchQueue.concurrentPerform(iterations: min(configuration.workers, chunks.count)) { _ in
                // Each worker takes the next chunk until none is left.
                while let index = outputs.claim() {
                    if let deadline, ContinuousClock.now >= deadline { return outputs.markStopped() }
                    let output = expand(level, range: chunks[index], seen: known, deadline: deadline)
                    outputs.store(output, at: index)
                    if let progress {
                        let states = counter.add(output.states)
                        progress(ExploreProgress(states: base + states, distinct: known.count, depth: depth,
                                                 violations: violations, seconds: (ContinuousClock.now - started).seconds))
                    }
                }
            }
            counter.reset()
            var next = Frontier(depth: depth, paths: [], count: 0)
            var levelStates = 0
            let before = seen.count
            for output in outputs.all {
                levelStates += output.states
                result.cost?.merge(output.cost)
            for candidate in output.candidates {
                    let isNew = seen.insert(candidate.fingerprint).inserted
                    if isNew { next.append(parent: frontier, index: candidate.parent, move: candidate.move) }
                    for bit in candidate.broken.bits {
                        if found[bit] == nil {
                            found[bit] = (frontier.path(candidate.parent) + [Int(candidate.move)], [])
                        }
                        found[bit]?.states.insert(candidate.fingerprint)
                    }
                }
            }
            result.states += levelStates
            result.perDepth.append(DepthStats(depth: depth, states: levelStates, distinct: seen.count - before))
            if outputs.stopped {
                result.stoppedByBudget = true
                break
            }
            result.completedDepth = depth
            frontier = next
            if next.count == 0 { break }
        }
        result.distinct = seen.count
        result.seconds = (ContinuousClock.now - started).seconds
        result.findings = configuration.invariants.indices.compactMap { index in
            guard let (path, states) = found[index] else { return nil }
            let shrunk = Shrinker(configuration: configuration).shrink(path, breaking: configuration.invariants[index])
            return Finding(invariant: configuration.invariants[index], path: shrunk,
                           moves: shrunk.map { configuration.moves[$0] }, distinct: states.count)
        }
        return result
    }

    /// Expands the frontier's nodes in `range`: every move from each, fingerprinted and checked.
    private func expand(_ frontier: Frontier, range: Range<Int>, seen: Set<Fingerprint>, deadline: ContinuousClock.Instant?) -> ChunkOutput {
        var output = ChunkOutput()
        var replay = PrefixReplay(configuration: configuration)
        var local = Set<Fingerprint>()
        for node in range {
            if let deadline, ContinuousClock.now >= deadline {
                output.stopped = true
                break
            }
            let parent = replay.state(after: frontier.path(node))
            let parentBroken = BrokenSet(configuration.invariants, parent.observation)
            for (moveIndex, move) in configuration.moves.enumerated() {
                guard let child = parent.simulation.fork() else { continue }
                var history = parent.history
                let before = configuration.measuresCost ? PathCost.Before(child) : nil
                let facts = Step.play(move, on: child, history: &history)
                output.states += 1
                if let before {
                    let cost = parent.cost.extended(by: move, on: child, from: before)
                    if cost.paid { output.cost.record(cost) }
                }
                let fingerprint = Fingerprint(child, history: history)
                let broken = BrokenSet(configuration.invariants, Observation(child, history: history, lastStep: facts))
                    .subtracting(parentBroken)
                let known = seen.contains(fingerprint) || !local.insert(fingerprint).inserted
                if known && broken.isEmpty { continue }
                output.candidates.append(Candidate(fingerprint: fingerprint, parent: node, move: UInt8(moveIndex), broken: broken))
            }
        }
        return output
    }
}

/// The invariants an observation breaks, as bits.
struct BrokenSet: Equatable {
    var mask: UInt32 = 0

    init(mask: UInt32 = 0) { self.mask = mask }

    init(_ invariants: [Invariant], _ observation: Observation) {
        for (index, invariant) in invariants.enumerated() where invariant.isBroken(observation) { mask |= 1 << UInt32(index) }
    }

    var isEmpty: Bool { mask == 0 }

    func subtracting(_ other: BrokenSet) -> BrokenSet { BrokenSet(mask: mask & ~other.mask) }

    var bits: [Int] { (0..<32).filter { mask & (1 << UInt32($0)) != 0 } }
}

/// A state reached in a chunk: new to the chunk, or breaking an invariant its parent kept.
struct Candidate {
    var fingerprint: Fingerprint
    var parent: Int
    var move: UInt8
    var broken: BrokenSet
}

struct ChunkOutput {
    var candidates: [Candidate] = []
    var states = 0
    /// The paying paths of the chunk's steps (`measuresCost`).
    var cost = ExploreCost()
    var stopped = false
}

/// The nodes of one level, as their paths: `depth` move indices each, one after the
/// other in one array (a few bytes a node: memory stays with the seen-set).
struct Frontier {
    var depth: Int
    var paths: [UInt8]
    var count: Int

    func path(_ node: Int) -> [Int] {
        paths[node * depth ..< (node + 1) * depth].map(Int.init)
    }

    mutating func append(parent: Frontier, index: Int, move: UInt8) {
        paths.append(contentsOf: parent.paths[index * parent.depth ..< (index + 1) * parent.depth])
        paths.append(move)
        count += 1
    }

    /// Ranges of consecutive nodes (siblings share their prefix, so a worker replays it once).
    func chunks(preferred size: Int) -> [Range<Int>] {
        stride(from: 0, to: count, by: size).map { $0 ..< min($0 + size, count) }
    }
}

/// A state on the way down one path, with what the invariants see of it.
struct ReplayedState {
    var simulation: Simulation
    var history: CartHistory
    var observation: Observation
    /// What the path cost the shopper so far (`measuresCost`).
    var cost = PathCost()
}

/// Rebuilds the state after a path by forking the states of its prefix, kept from the
/// previous path: nodes come in lexicographic order, so usually only the last move is new.
struct PrefixReplay {
    let configuration: ExploreConfiguration
    private var stack: [ReplayedState] = []
    private var path: [Int] = []

    init(configuration: ExploreConfiguration) {
        self.configuration = configuration
        let root = configuration.makeSimulation()
        stack = [ReplayedState(simulation: root, history: CartHistory(), observation: Observation(root, history: CartHistory(), lastStep: StepFacts()))]
    }

    mutating func state(after target: [Int]) -> ReplayedState {
        var common = 0
        while common < min(path.count, target.count), path[common] == target[common] { common += 1 }
        stack.removeLast(stack.count - 1 - common)
        path = Array(target.prefix(common))
        for move in target.dropFirst(common) {
            let last = stack[stack.count - 1]
            let simulation = last.simulation.fork()!
            var history = last.history
            let before = configuration.measuresCost ? PathCost.Before(simulation) : nil
            let facts = Step.play(configuration.moves[move], on: simulation, history: &history)
            let cost = before.map { last.cost.extended(by: configuration.moves[move], on: simulation, from: $0) } ?? last.cost
            stack.append(ReplayedState(simulation: simulation, history: history,
                                       observation: Observation(simulation, history: history, lastStep: facts), cost: cost))
            path.append(move)
        }
        return stack[stack.count - 1]
    }
}

/// Each chunk's output, written by the worker that expanded it.
final class ChunkOutputs: Sendable {
    private struct State {
        var outputs: [ChunkOutput?]
        var nextChunk = 0
        var stopped = false
    }

    private let state: Mutex<State>

    init(count: Int) { state = Mutex(State(outputs: Array(repeating: nil, count: count))) }

    /// The next chunk no worker has taken, if any.
    func claim() -> Int? {
        state.withLock { state in
            guard state.nextChunk < state.outputs.count, !state.stopped else { return nil }
            state.nextChunk += 1
            return state.nextChunk - 1
        }
    }

    func store(_ output: ChunkOutput, at index: Int) {
        state.withLock { state in
            state.outputs[index] = output
            if output.stopped { state.stopped = true }
        }
    }

    func markStopped() { state.withLock { $0.stopped = true } }

    var stopped: Bool { state.withLock { $0.stopped } }

    /// In chunk order (chunks never started are left out).
    var all: [ChunkOutput] { state.withLock { $0.outputs.compactMap { $0 } } }
}

/// States reached during a level, across workers.
final class ProgressCounter: Sendable {
    private let total = Atomic(0)

    func add(_ count: Int) -> Int { total.wrappingAdd(count, ordering: .relaxed).newValue }

    func reset() { total.store(0, ordering: .relaxed) }
}

extension Duration {
    /// Seconds as a `Double`.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
