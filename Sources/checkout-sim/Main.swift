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

    /// Exit statuses: 0 done, 1 a scenario failed, 2 unusable input, usage mistakes included
    /// (ArgumentParser's own choice for those is 64), 128+N a signal, 129 the terminal went away.
    /// Every message goes through `UntrustedText`: ArgumentParser's quote the command line.
    static func exit(with error: Error) -> Never {
        let code = CheckoutSim.exitCode(for: error)
        if code == .success { CheckoutSim.exit(withError: error) }  // help and version, on standard output
        let message = CheckoutSim.fullMessage(for: error)
        if !message.isEmpty { printErrorLines(message) }
        Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
    }
}
