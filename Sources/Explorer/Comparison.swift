import Dispatch
import Foundation
import Scenarios

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
private final class ResultSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [ExploreResult?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func store(_ result: ExploreResult, at index: Int) {
        lock.lock()
        defer { lock.unlock() }
        slots[index] = result
    }

    var all: [ExploreResult] {
        lock.lock()
        defer { lock.unlock() }
        return slots.map { $0! }
    }
}
