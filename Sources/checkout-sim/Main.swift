import ArgumentParser
import Foundation

/// The entry point. A plain launch (`checkout-sim`, or `checkout-sim --state-dir DIR`) starts the
/// interface at once; every other command line goes through ArgumentParser.
///
/// QA restart the app many times a day, and ArgumentParser's first parse reflects over every command type.
@main
enum Main {
    static func main() {
        do {
            if let options = QuickLaunch.options(Array(CommandLine.arguments.dropFirst())) {
                try TUICommand.launch(options)
            } else {
                var command = try CheckoutSim.parseAsRoot()
                try command.run()
            }
        } catch {
            exit(with: error)
        }
    }

    /// Help and version on standard output with 0; anything else as `failure(for:)` says.
    static func exit(with error: Error) -> Never {
        if CheckoutSim.exitCode(for: error) == .success { CheckoutSim.exit(withError: error) }
        let failure = failure(for: error)
        for line in failure.lines { printError(line) }
        Foundation.exit(failure.status)
    }

    /// How the process ends after `error`. Exit statuses: 1 a scenario failed, 2 unusable
    /// input (a `UsageError`, and ArgumentParser's usage mistakes, for which its own choice
    /// is 64), 128+N a signal, 129 the terminal went away. The lines go to standard error,
    /// each through `UntrustedText`: ArgumentParser's quote the command line.
    static func failure(for error: Error) -> Failure {
        if let usage = error as? UsageError { return Failure(status: 2, lines: usage.lines) }
        let code = CheckoutSim.exitCode(for: error)
        let message = CheckoutSim.fullMessage(for: error)
        return Failure(status: code == .validationFailure ? 2 : code.rawValue,
                       lines: message.isEmpty ? [] : message.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
    }

    struct Failure: Equatable {
        var status: Int32
        var lines: [String]
    }
}
