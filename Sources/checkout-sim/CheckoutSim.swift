import ArgumentParser

/// `checkout-sim`: explore how a web checkout handles server-generated idempotency keys.
struct CheckoutSim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkout-sim",
        abstract: "A terminal checkout simulator for server-generated idempotency keys.",
        version: Version.current,
        subcommands: [TUICommand.self, RunCommand.self, DemoCommand.self, ExportCommand.self, ListCommand.self, ResetCommand.self,
                      KeysCommand.self, ServeCommand.self, RulesCommand.self, LintCommand.self, ExploreCommand.self],
        defaultSubcommand: TUICommand.self)
}
