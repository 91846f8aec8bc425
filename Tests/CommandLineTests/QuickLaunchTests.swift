import ArgumentParser
import Testing

@testable import checkout_sim

/// The quick launch path must never disagree with ArgumentParser: for each command line it
/// either declines, or returns exactly the options ArgumentParser would have parsed.
@Suite struct QuickLaunchTests {
    static let commandLines: [[String]] = [
        [], ["--state-dir", "/tmp/qa"], ["--state-dir=/tmp/qa"], ["--state-dir", "state with spaces"],
        ["--state-dir", "./relative"], ["--state-dir", "ünïcode/dïr"], ["--state-dir=a=b"], ["--state-dir", "tui"],
        ["--state-dir", "run"], ["--state-dir", "-x"], ["--state-dir", "--seed"], ["--state-dir", ""],
        ["--state-dir="], ["--state-dir"], ["--state-dir", "a", "--state-dir", "b"], ["--seed", "4"],
        ["--state-dir", "a", "--seed", "4"], ["--client", "legacy"], ["tui"], ["tui", "--state-dir", "x"],
        ["--help"], ["-h"], ["help"], ["keys"], ["run", "scenarios"], ["--state-dirx", "a"], ["--STATE-DIR", "a"],
        ["--version"], ["--generate-completion-script", "bash"], ["--state-dir", "help"], ["--state-dir", "keys"],
    ]

    @Test(arguments: commandLines)
    func agreesWithArgumentParser(_ arguments: [String]) throws {
        guard let quick = QuickLaunch.options(arguments) else { return }
        let parsed = try CheckoutSim.parseAsRoot(arguments)
        let tui = try #require(parsed as? TUICommand, "ArgumentParser did not pick the TUI for \(arguments)")
        #expect(tui.options == quick)
    }

    @Test func takesThePlainLaunches() {
        #expect(QuickLaunch.options([]) == TUIOptions())
        #expect(QuickLaunch.options(["--state-dir", "/tmp/qa"]) == TUIOptions(stateDir: "/tmp/qa"))
        #expect(QuickLaunch.options(["--state-dir=/tmp/qa"]) == TUIOptions(stateDir: "/tmp/qa"))
        #expect(QuickLaunch.options(["--state-dir", "keys"]) == TUIOptions(stateDir: "keys"))
    }

    @Test func leavesEverythingElseToTheParser() {
        for arguments in [["--state-dir"], ["--state-dir", ""], ["--state-dir", "-x"], ["--seed", "4"], ["--help"],
                          ["tui"], ["--state-dir", "a", "--seed", "4"]] {
            #expect(QuickLaunch.options(arguments) == nil, "\(arguments)")
        }
    }
}
