import ArgumentParser
import CheckoutCore

/// The client policy, for the commands that play or judge one (`tui`, `explore`, `lint`, `serve`: the policy its lint judges against): the one place
/// a client option is declared.
struct ClientOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Client policy: \(ClientPolicy.allCases.map(\.rawValue).spokenList)."))
    var client: ClientPolicy = .standard
}

extension ClientPolicy: ExpressibleByArgument {}

extension Array where Element == String {
    /// "a", "a or b", "a, b or c".
    var spokenList: String {
        count < 2 ? joined() : dropLast().joined(separator: ", ") + " or " + last!
    }
}
