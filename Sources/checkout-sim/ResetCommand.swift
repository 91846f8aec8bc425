import ArgumentParser
import Foundation

/// `checkout-sim reset`: forgets localStorage and the backend's state.
struct ResetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset", abstract: "Delete the state directory's localStorage and backend database.")

    @Option(help: "The state directory (default: $XDG_STATE_HOME/checkout-sim).")
    var stateDir: String?

    func run() throws {
        let directory = StateDirectory.resolve(stateDir)
        let manager = FileManager.default
        let names = (try? manager.contentsOfDirectory(atPath: directory.path)) ?? []
        let ours = names.filter { $0.hasPrefix("localStorage.json") || $0.hasPrefix("backend.sqlite") || $0.hasPrefix(".localStorage.json") }
        for name in ours where !name.contains(".corrupt-") {
            try manager.removeItem(at: directory.appendingPathComponent(name))
        }
        print("reset \(directory.path)")
    }
}

/// Where state lives by default.
enum StateDirectory {
    static func resolve(_ option: String?) -> URL {
        if let option { return URL(fileURLWithPath: option) }
        if let state = environmentValue("XDG_STATE_HOME"), !state.isEmpty {
            return URL(fileURLWithPath: state).appendingPathComponent("checkout-sim")
        }
        let home = environmentValue("HOME") ?? NSTemporaryDirectory()
        return URL(fileURLWithPath: home).appendingPathComponent(".local/state/checkout-sim")
    }
}

/// One environment variable. `getenv` rather than `ProcessInfo.environment`, which copies
/// the whole environment into a dictionary: a measurable part of the start-up.
func environmentValue(_ name: String) -> String? {
    getenv(name).map { String(cString: $0) }
}
