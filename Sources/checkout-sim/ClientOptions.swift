import ArgumentParser
import CheckoutCore

/// The simulated client, for the commands that play one (`tui`, `explore`): the one place
/// a client option is declared.
struct ClientOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Client variant: \(ClientVariant.allCases.map(\.rawValue).spokenList)."))
    var client: ClientVariant = .standard
}

extension ClientVariant: ExpressibleByArgument {}

extension Array where Element == String {
    /// "a", "a or b", "a, b or c".
    var spokenList: String {
        count < 2 ? joined() : dropLast().joined(separator: ", ") + " or " + last!
    }
}
