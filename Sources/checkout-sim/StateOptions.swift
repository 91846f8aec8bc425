import ArgumentParser
import CheckoutCore
import Foundation
import MockBackend

/// `--state-dir`, for every command that reads or writes a state directory.
struct StateOptions: ParsableArguments {
    @Option(help: "The state directory: localStorage and the backend's database live here (default: $XDG_STATE_HOME/checkout-sim).")
    var stateDir: String?

    /// The directory given, else the default one.
    var directory: URL { StateDirectory.resolve(stateDir) }
}

/// Where state lives by default, and how a command opens it.
enum StateDirectory {
    static func resolve(_ option: String?) -> URL {
        if let option { return URL(fileURLWithPath: option) }
        if let state = environmentValue("XDG_STATE_HOME"), !state.isEmpty {
            return URL(fileURLWithPath: state).appendingPathComponent("checkout-sim")
        }
        let home = environmentValue("HOME") ?? NSTemporaryDirectory()
        return URL(fileURLWithPath: home).appendingPathComponent(".local/state/checkout-sim")
    }

    /// Runs `open`, which opens what `directory` holds; whatever it throws becomes the one
    /// message for a state directory that cannot be used (exit 2).
    static func opening<Value>(_ directory: URL, _ open: () throws -> Value) throws -> Value {
        do {
            return try open()
        } catch {
            throw UsageError("cannot open the state directory \(UntrustedText.escaped(StateFiles.fileSystemPath(directory))): \(StateFiles.describe(error))")
        }
    }

    /// The backend's database in `directory`.
    static func backendStore(_ directory: URL, checkpointsInBackground: Bool = false,
                             journalLimit: JournalLimit = .standard) throws -> SQLiteBackendStore {
        try opening(directory) {
            try SQLiteBackendStore(directory: directory, checkpointsInBackground: checkpointsInBackground, journalLimit: journalLimit)
        }
    }
}
