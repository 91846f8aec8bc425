import ArgumentParser
import Scenarios

/// `--compare CLIENT` of the commands that play one scenario (`demo`, `export`): the
/// scenario under standard and under CLIENT. (`explore --compare` takes a list.)
struct CompareOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Play it under standard and under this client, side by side (\(ClientChoices.names.joined(separator: ", "))).",
                               valueName: "client"))
    var compare: String?

    /// The client to set beside the baseline, `nil` without `--compare`; an unknown name
    /// is exit 2 with the closest one.
    func client() throws -> ClientChoice? {
        guard let compare else { return nil }
        guard let client = ClientChoices.named(compare) else { throw UsageError("--compare: \(UnknownClientChoice(name: compare))") }
        return client
    }
}
