import Dispatch
import Foundation
import Scenarios
import Synchronization

/// One search per client choice, over the same alphabet, depth and invariants
/// (`explore --compare`): which invariants each client keeps, and what it costs the shopper.
public enum Comparison {
    /// The choices to search: `chosen`, with the baseline first when it is missing (the
    /// extra steps are counted against it).
    public static func choices(_ chosen: [ClientChoice]) -> [ClientChoice] {
        chosen.contains(ClientChoices.baseline) ? chosen : [ClientChoices.baseline] + chosen
    }

    /// Runs the searches side by side, the workers shared out between them; results in the
    /// order of `choices`. Each search measures its costs.
    /// `moves` gives each client's alphabet (the template's when it gives `nil`).
    public static func run(_ template: ExploreConfiguration, choices: [ClientChoice],
                           moves: @Sendable (ClientChoice) -> [Move]? = { _ in nil }) -> [ExploreResult] {
        let results = ResultSlots(count: choices.count)
        let share = max(template.workers / max(choices.count, 1), 1)
        DispatchQueue.concurrentPerform(iterations: choices.count) { index in
            var configuration = template
            configuration.client = choices[index]
            if let own = moves(choices[index]) { configuration.moves = own }
            configuration.workers = share
            configuration.measuresCost = true
            results.store(Explorer(configuration).run(), at: index)
        }
        return results.all
    }
}

/// The searches' results, each written by the thread that ran it.
private final class ResultSlots: Sendable {
    private let slots: Mutex<[ExploreResult?]>

    init(count: Int) { slots = Mutex(Array(repeating: nil, count: count)) }

    func store(_ result: ExploreResult, at index: Int) {
        slots.withLock { $0[index] = result }
    }

    var all: [ExploreResult] {
        slots.withLock { $0.map { $0! } }
    }
}
