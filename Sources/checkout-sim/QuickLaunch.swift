import CheckoutCore
import Simulation

/// What `checkout-sim tui` needs, as plain values.
struct TUIOptions: Equatable {
    var stateDir: String?
    var seed: UInt64?
    var client: ClientVariant = .standard
    var record: String?
    var clientTimeoutMillis = SimulationConfiguration.defaultClientTimeoutMillis
    /// `--scenarios DIR`: folders the picker lists besides the catalog.
    var scenarioFolders: [String] = []
}

/// Recognises the command lines that need no parser: none at all, `--state-dir DIR` and
/// `--state-dir=DIR` (`StateOptions`' option), with a directory that cannot be mistaken for an option.
///
/// It only ever returns what ArgumentParser would (a test holds it to that); anything else,
/// including every mistake, returns nil and goes to ArgumentParser, which owns the messages.
enum QuickLaunch {
    static func options(_ arguments: [String]) -> TUIOptions? {
        switch arguments.count {
        case 0:
            return TUIOptions()
        case 1:
            let prefix = "--state-dir="
            guard arguments[0].hasPrefix(prefix) else { return nil }
            return directory(String(arguments[0].dropFirst(prefix.count)))
        case 2 where arguments[0] == "--state-dir":
            return directory(arguments[1])
        default:
            return nil
        }
    }

    private static func directory(_ value: String) -> TUIOptions? {
        guard let first = value.first, first != "-" else { return nil }
        return TUIOptions(stateDir: value)
    }
}
