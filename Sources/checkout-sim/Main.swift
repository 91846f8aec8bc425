import ArgumentParser

/// The entry point. A plain launch (`checkout-sim`, or `checkout-sim --state-dir DIR`) starts the
/// interface at once; every other command line goes through ArgumentParser.
///
/// QA restart the app many times a day, and ArgumentParser's first parse costs about 3 ms
/// (it reflects over every command type), a fifth of the time to the first frame.
@main
enum Main {
    static func main() {
        guard let options = QuickLaunch.options(Array(CommandLine.arguments.dropFirst())) else {
            CheckoutSim.main()
            return
        }
        do {
            try TUICommand.launch(options)
        } catch {
            CheckoutSim.exit(withError: error)
        }
    }
}
