import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The real `checkout-sim` binary, built by `swift test` next to the test bundle.
let binary: String = {
    let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for candidate in [here, here.deletingLastPathComponent()] {
        let path = candidate.appendingPathComponent("checkout-sim").path
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return root.appendingPathComponent(".build/debug/checkout-sim").path
}()

/// The binary as installed (`scripts/build-release.sh`: optimised, static runtime, no PIE), whose
/// path `scripts/test.sh` passes in `CHECKOUT_SIM_RELEASE_BINARY`. Bugs that live only in the
/// optimised build (a signal flag with two copies) are caught by running the same tests on it.
let releaseBinary: String? = ProcessInfo.processInfo.environment["CHECKOUT_SIM_RELEASE_BINARY"].flatMap { $0.isEmpty ? nil : $0 }

/// The binaries the signal, hostile-state and locked-database tests run against: the debug
/// build `swift test` makes, and the installed release build when `scripts/test.sh` built it.
let installedBinaries: [String] = [binary] + (releaseBinary.map { [$0] } ?? [])

/// Whether this run is CI's, where the release build must be tested too.
let runningInCI = ProcessInfo.processInfo.environment["CI"] == "true"

let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A tmux server of its own running one command in a pane of a given size.
/// Waiting here is for a real process to draw; it polls with a deadline.
final class TmuxSession {
    let socket = "cs-e2e-\(UUID().uuidString.prefix(8))"
    let name = "e2e"

    init(_ command: String, width: Int = 120, height: Int = 40, environment: [String: String] = [:]) throws {
        var env = environment.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        if !env.isEmpty { env = "env \(env) " }
        let script = "cd '\(repositoryRoot.path)' && \(env)\(command); echo EXIT=$?; sleep 120"
        try run(["new-session", "-d", "-s", name, "-x", "\(width)", "-y", "\(height)", script], capture: false)
    }

    deinit { _ = try? run(["kill-server"], capture: false) }

    @discardableResult
    func run(_ arguments: [String], capture: Bool = true) throws -> String {
        try spawn(["/usr/bin/env", "TERM=xterm-256color", "tmux", "-L", socket, "-f", "/dev/null"] + arguments, capture: capture)
    }

    /// Adds a product through the picker (`a a`) and checks out (`c`); the screen once the
    /// key is stored. The common start of a test that needs a key.
    @discardableResult
    func addAndCheckOut() throws -> String {
        try type("aac")
        return waitForStoredKey(after: "stored the key")
    }

    /// Waits for `text` and a key in the localStorage panel. A frame reaches the terminal in
    /// pieces: the timeline's row can be on screen before the panel further down is redrawn.
    @discardableResult
    func waitForStoredKey(after text: String, other previous: String? = nil) -> String {
        waitUntil { screen in
            guard screen.contains(text), let key = storedKey(in: screen) else { return false }
            return key != previous
        }
    }

    /// Types literal text.
    func type(_ text: String) throws { try run(["send-keys", "-t", name, "-l", text]) }

    /// Types `key` until the screen shows `text`, at most `tries` times a second
    /// apart; returns the last screen.
    @discardableResult
    func type(_ key: String, until text: String, tries: Int) throws -> String {
        var screen = ""
        for _ in 0..<tries {
            try type(key)
            screen = waitUntil(seconds: 1) { $0.contains(text) }
            if screen.contains(text) { break }
        }
        return screen
    }

    /// Presses named keys (Enter, Escape, Tab, BSpace, C-c).
    func press(_ keys: String...) throws { try run(["send-keys", "-t", name] + keys) }

    /// Opens the backend menu, presses the rule's menu key and waits until it is armed.
    func armRule(_ menuKey: String, until armed: String) throws {
        try type("b")
        waitFor("Backend rules")
        try type(menuKey)
        waitFor(armed)
    }

    func screen(escapes: Bool = false) -> String {
        (try? run(["capture-pane", "-p", "-t", name] + (escapes ? ["-e"] : []))) ?? ""
    }

    func resize(width: Int, height: Int) throws {
        try run(["resize-window", "-t", name, "-x", "\(width)", "-y", "\(height)"])
    }

    /// The process id of the app in the pane.
    func appPID() -> Int32? {
        let panePID = (try? run(["display-message", "-p", "-t", name, "#{pane_pid}"]))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard let panePID else { return nil }
        let children = (try? String(contentsOfFile: "/proc/\(panePID)/task/\(panePID)/children", encoding: .utf8)) ?? ""
        return children.split(separator: " ").compactMap { Int32($0) }.first
    }

    /// Polls the screen until `predicate` holds or `seconds` pass.
    @discardableResult
    func waitUntil(seconds: Double = 15, _ predicate: (String) -> Bool) -> String {
        let deadline = Date().addingTimeInterval(seconds)
        var last = screen()
        while Date() < deadline {
            if predicate(last) {
                // A capture can fall in the middle of a frame (its title drawn, its rows not
                // yet): the screen is taken once more, and returned if it still matches.
                usleep(30_000)
                last = screen()
                if predicate(last) { return last }
                continue
            }
            usleep(50_000)
            last = screen()
        }
        return last
    }

    @discardableResult
    func waitFor(_ text: String, seconds: Double = 15) -> String {
        waitUntil(seconds: seconds) { $0.contains(text) }
    }
}

func freshStateDirectory() -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("cs-e2e-state-\(UUID().uuidString)")
    return url.path
}

/// The first UUID on a screen.
/// A path named `name` in a new, empty temporary folder, for `--record`.
func recordingFile(_ name: String) throws -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rec-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder.appendingPathComponent(name).path
}

/// The app from a fresh state directory, recording into `file`, with an item in the cart.
func recordingSession(_ file: String, options: String = "") throws -> TmuxSession {
    let tmux = try TmuxSession("'\(binary)' --state-dir '\(freshStateDirectory())' \(options) --record '\(file)'")
    tmux.waitFor("● REC")
    try tmux.type("aa")
    tmux.waitFor("House beans")
    return tmux
}

/// The key the localStorage panel shows: the first one after the storage key's name.
func storedKey(in screen: String) -> String? {
    screen.range(of: "checkout-idempotency-key").flatMap { firstKey(in: String(screen[$0.upperBound...])) }
}

func firstKey(in screen: String) -> String? {
    screen.firstMatch(of: /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/).map { String($0.output) }
}

/// Runs a command with posix_spawn and waits for it; stdout is captured
/// through a temporary file (tmux's forked server may keep a pipe open).
func spawn(_ argv: [String], capture: Bool) throws -> String {
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("cs-e2e-out-\(UUID().uuidString)").path
    defer { unlink(output) }
    var environment = ProcessInfo.processInfo.environment
    environment.removeValue(forKey: "TMUX")
    let pid = try startProcess(argv, environment: environment.map { "\($0.key)=\($0.value)" }) { actions in
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, capture ? output : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    }
    var exitStatus: Int32 = 0
    while waitpid(pid, &exitStatus, 0) == -1 && errno == EINTR {}
    return capture ? ((try? String(contentsOfFile: output, encoding: .utf8)) ?? "") : ""
}

/// Starts `argv` with `environment` ("NAME=value"), its descriptors set up by `files`,
/// and clean signal state; returns its process id.
func startProcess(_ argv: [String], environment: [String],
                  files: (inout posix_spawn_file_actions_t) -> Void) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    files(&actions)
    var cArgs = argv.map { strdup($0) } + [nil]
    defer { for pointer in cArgs { free(pointer) } }
    var cEnv = environment.map { strdup($0) } + [nil]
    defer { for pointer in cEnv { free(pointer) } }
    var attributes = cleanSignalAttributes()
    defer { posix_spawnattr_destroy(&attributes) }
    var pid: pid_t = 0
    let status = posix_spawn(&pid, argv[0], &actions, &attributes, &cArgs, &cEnv)
    guard status == 0 else { throw POSIXError(POSIXErrorCode(rawValue: status) ?? .EIO) }
    return pid
}

/// Spawn attributes that give the child no blocked signals and default actions.
/// The test runner's threads block most signals and a child inherits that mask:
/// a tmux server started with it never saw SIGHUP, so `kill-server` left its
/// panes (and itself) running.
func cleanSignalAttributes() -> posix_spawnattr_t {
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    var none = sigset_t()
    sigemptyset(&none)
    posix_spawnattr_setsigmask(&attributes, &none)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for signal in [SIGHUP, SIGINT, SIGTERM, SIGQUIT, SIGPIPE, SIGCHLD] { sigaddset(&defaults, signal) }
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    return attributes
}

/// tmux must be installed (`.ci/run` installs it).
let tmuxAvailable = FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux")
