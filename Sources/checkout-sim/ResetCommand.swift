import ArgumentParser
import CheckoutCore
import Foundation

/// `checkout-sim reset`: forgets localStorage and the backend's state.
struct ResetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset", abstract: "Delete the state directory's localStorage and backend database.",
        discussion: "Removes only the files checkout-sim writes there; moved-aside copies and anything else stay.")

    @OptionGroup var stateOptions: StateOptions

    @Flag(help: "Reset even while a checkout-sim interface is using the directory.")
    var force = false

    func run() throws {
        let directory = stateOptions.directory
        let shown = directory.path
        // Held for the whole deletion, so an interface starting meanwhile waits for us.
        let lock = StateDirectoryLock.holdExclusive(directory: directory)
        if lock == nil, !force, StateDirectoryLock.isHeld(directory: directory) {
            throw UsageError("another checkout-sim is using \(shown) (close it, or pass --force)")
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: shown)) ?? []
        let ours = names.filter(StateFiles.isOwned).sorted()
        let folders = ours.filter { StateFiles.isFolder(directory.appendingPathComponent($0).path) }
        guard folders.isEmpty else {
            throw UsageError(lines: folders.map {
                "\(directory.appendingPathComponent($0).path) is a folder, not a checkout-sim file; remove or rename it yourself"
            } + ["reset left \(shown) unchanged"])
        }
        for name in ours {
            let path = directory.appendingPathComponent(name).path
            // unlink, never recursive; a symlink goes, its target stays.
            guard unlink(path) == 0 || errno == ENOENT else {
                throw UsageError("cannot remove \(path): \(String(cString: strerror(errno)))")
            }
            // The lock file is ours to take, not state: taking the lock may just have made it.
            if name != StateDirectoryLock.fileName { print("removed \(UntrustedText.escaped(path))") }
        }
        let removed = ours.filter { $0 != StateDirectoryLock.fileName }
        print(removed.isEmpty ? "nothing to reset in \(UntrustedText.escaped(shown))" : "reset \(UntrustedText.escaped(shown))")
        withExtendedLifetime(lock) {}
    }
}

/// One environment variable. `getenv` rather than `ProcessInfo.environment`, which copies
/// the whole environment into a dictionary: a measurable part of the start-up.
func environmentValue(_ name: String) -> String? {
    getenv(name).map { String(cString: $0) }
}
