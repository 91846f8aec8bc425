import Simulation

/// Makes a sequence that breaks an invariant as small and as plain as it goes: drops
/// steps while the invariant still breaks, then swaps each remaining move for a simpler
/// one (earlier in the alphabet) where that still breaks it. A breadth-first finding is
/// already shortest; a sequence from elsewhere (a long one, a recording's) shrinks to a
/// minimal one: no single step can be dropped.
public struct Shrinker: Sendable {
    public var configuration: ExploreConfiguration

    public init(configuration: ExploreConfiguration) {
        self.configuration = configuration
    }

    /// The shrunk sequence (move indices); `path` itself when it does not break `invariant`.
    public func shrink(_ path: [Int], breaking invariant: Invariant) -> [Int] {
        guard let end = firstBreak(path, invariant) else { return path }
        var current = Array(path.prefix(end))
        var changed = true
        while changed {
            changed = false
            for index in current.indices.reversed() where current.count > 1 {
                var shorter = current
                shorter.remove(at: index)
                if let end = firstBreak(shorter, invariant) {
                    current = Array(shorter.prefix(end))
                    changed = true
                    break
                }
            }
            if changed { continue }
            for index in current.indices {
                for simpler in 0..<current[index] {
                    var plainer = current
                    plainer[index] = simpler
                    if firstBreak(plainer, invariant) == plainer.count {
                        current = plainer
                        changed = true
                        break
                    }
                }
                if changed { break }
            }
        }
        return current
    }

    /// How many steps of `path` it takes to break `invariant` (a step where it breaks while
    /// it held before), or `nil` when it never breaks.
    public func firstBreak(_ path: [Int], _ invariant: Invariant) -> Int? {
        let simulation = configuration.makeSimulation()
        var history = CartHistory()
        var held = !invariant.isBroken(Observation(simulation, history: history, lastStep: StepFacts()))
        for (offset, move) in path.enumerated() {
            let facts = Step.play(configuration.moves[move], on: simulation, history: &history)
            let broken = invariant.isBroken(Observation(simulation, history: history, lastStep: facts))
            if broken && held { return offset + 1 }
            held = !broken
        }
        return nil
    }
}
