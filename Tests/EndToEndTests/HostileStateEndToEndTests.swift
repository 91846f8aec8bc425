import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The installed binary against hostile state, a locked database and Ctrl-C: every test runs on
/// the debug build and on the release build `scripts/test.sh` passes in.
@Suite("Hostile state and signals, in every build", .serialized)
struct HostileStateEndToEndTests {
    @Test("CI tests the release build as installed, not only the debug build")
    func releaseBuildIsTested() {
        if runningInCI {
            #expect(releaseBinary != nil, "CHECKOUT_SIM_RELEASE_BINARY is not set: CI must run scripts/test.sh")
        }
        if let releaseBinary {
            #expect(FileManager.default.isExecutableFile(atPath: releaseBinary), "no release binary at \(releaseBinary)")
        }
    }

    private func stateDirectory(_ files: [String: Data] = [:]) throws -> String {
        let state = freshStateDirectory()
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        for (name, data) in files { try data.write(to: URL(fileURLWithPath: state + "/" + name)) }
        return state
    }

    @Test("Ctrl-C in the terminal ends the app with 130 and gives the screen back", arguments: installedBinaries)
    func controlC(app: String) throws {
        let tmux = try TmuxSession("'\(app)' --state-dir '\(try stateDirectory())'")
        tmux.waitFor("No request yet")
        try tmux.press("C-c")
        let after = tmux.waitFor("EXIT=")
        #expect(after.contains("EXIT=130"), "\(after)")
        #expect(!after.contains("┌ Cart"), "the screen was not restored:\n\(after)")
    }

    @Test("a quantity of Int64.max in localStorage: a notice and a working app, on every start", arguments: installedBinaries)
    func hugeQuantity(app: String) throws {
        let cart = #"{"checkout-cart": "[{\"sku\":\"MUG\",\"qty\":9223372036854775807}]"}"#
        let state = try stateDirectory(["localStorage.json": Data(cart.utf8)])
        for _ in 0..<2 {
            let tmux = try TmuxSession("'\(app)' --state-dir '\(state)'")
            #expect(tmux.waitFor("quantity out of range").contains("(l: read it all)"))
            try tmux.type("l")
            #expect(tmux.waitFor("ignored the cart").contains("9223372036854775807"))
            try tmux.press("Escape")
            try tmux.type("q")
            #expect(tmux.waitFor("EXIT=").contains("EXIT=0"))
        }
    }

    @Test("a valid SQLite file with NULL counters is moved aside with a notice; the app works", arguments: installedBinaries)
    func nullCounters(app: String) throws {
        let state = try stateDirectory()
        try python("""
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1] + '/backend.sqlite')
            c.execute('CREATE TABLE counters(id, sessions, payment_intents, paid)')
            c.execute('INSERT INTO counters VALUES (1, NULL, 0, 0)')
            c.commit()
            """, state)
        let tmux = try TmuxSession("'\(app)' --state-dir '\(state)'")
        #expect(tmux.waitFor("moved aside").contains("never writes"))
        #expect(storedKey(in: try tmux.addAndCheckOut()) != nil)
        try tmux.type("q")
        #expect(tmux.waitFor("EXIT=").contains("EXIT=0"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: state).contains { $0.hasPrefix("backend.sqlite.corrupt-") })
    }

    @Test("a database another tab holds locked is waited for with the UI alive, then used; never moved aside",
          arguments: installedBinaries)
    func lockedDatabase(app: String) throws {
        let state = try stateDirectory()
        let first = try TmuxSession("'\(app)' --state-dir '\(state)'")
        first.waitFor("No request yet")
        let key = try #require(storedKey(in: try first.addAndCheckOut()))
        try first.type("q")
        first.waitFor("EXIT=")

        // Another process takes the write lock and holds it until told to let go (30 s at most).
        let release = state + "/.release-lock"
        let holder = try startPython("""
            import os, sqlite3, sys, time
            c = sqlite3.connect(sys.argv[1] + '/backend.sqlite', isolation_level=None)
            c.execute('BEGIN EXCLUSIVE')
            open(sys.argv[1] + '/.locked', 'w').close()
            deadline = time.time() + 30
            while not os.path.exists(sys.argv[1] + '/.release-lock') and time.time() < deadline:
                time.sleep(0.05)
            c.execute('ROLLBACK')
            """, state)
        defer { _ = FileManager.default.createFile(atPath: release, contents: nil); _ = waitpid(holder, nil, 0) }
        #expect(waitForFile(state + "/.locked"), "the lock holder did not start")

        let tmux = try TmuxSession("'\(app)' --state-dir '\(state)'")
        let waiting = tmux.waitFor("waiting for another tab")
        #expect(waiting.contains("(database locked)"), "\(waiting)")
        #expect(waiting.contains(key), "localStorage still shows the key while the backend waits")
        try tmux.type("?")
        #expect(tmux.waitFor("Keys (Esc closes)", seconds: 3).contains("Keys (Esc closes)"), "the UI does not answer while waiting")
        try tmux.press("Escape")
        _ = FileManager.default.createFile(atPath: release, contents: nil)
        let opened = tmux.waitFor("sessions 1 · PaymentIntents 1")
        #expect(!opened.contains("waiting for another tab"), "\(opened)")
        try tmux.type("r")
        #expect(tmux.waitFor("kept the key (same session)").contains("sessions 1"))
        try tmux.type("q")
        #expect(try FileManager.default.contentsOfDirectory(atPath: state).allSatisfy { !$0.contains(".corrupt-") })
    }

    @Test("a symbolic link in the state directory is refused with exit 2; its target is never created",
          arguments: installedBinaries)
    func symbolicLink(app: String) throws {
        let state = try stateDirectory()
        let outside = freshStateDirectory() + "-outside.sqlite"
        try FileManager.default.createSymbolicLink(atPath: state + "/backend.sqlite", withDestinationPath: outside)
        let tmux = try TmuxSession("'\(app)' --state-dir '\(state)'", width: 250)
        let screen = tmux.waitFor("EXIT=")
        #expect(screen.contains("EXIT=2"), "\(screen)")
        #expect(screen.contains("backend.sqlite is a symbolic link"), "\(screen)")
        #expect(!FileManager.default.fileExists(atPath: outside))
    }

    @Test("a database a newer checkout-sim wrote is refused with exit 2 by every command, and left as it is",
          arguments: installedBinaries)
    func newerDatabase(app: String) throws {
        let state = try stateDirectory()
        let environment = ["TERM=xterm-256color", "LANG=C.UTF-8"]
        let armed = try ChildProcess([app, "rules", "add", "rotate", "--state-dir", state], environment: environment).finish()
        #expect(armed.status == 0, "\(armed.stderr)")
        // What a later release's migration leaves: its name recorded, and what it made.
        try python("""
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1] + '/backend.sqlite')
            c.execute("INSERT INTO grdb_migrations (identifier) VALUES ('from_a_later_release')")
            c.execute('CREATE TABLE later (x TEXT NOT NULL)')
            c.commit()
            c.close()
            """, state)
        let database = URL(fileURLWithPath: state + "/backend.sqlite")
        let before = try Data(contentsOf: database)
        for command in [["rules", "list"], ["lint"], []] {
            let result = try ChildProcess([app] + command + ["--state-dir", state], environment: environment).finish()
            #expect(result.status == 2, "\(command): \(result.stderr)")
            #expect(result.stderr.contains("\(state)/backend.sqlite was written by a newer checkout-sim"), "\(command): \(result.stderr)")
        }
        #expect(try Data(contentsOf: database) == before, "the newer database was changed")
        #expect(try FileManager.default.contentsOfDirectory(atPath: state).allSatisfy { !$0.contains(".corrupt-") })
    }

    @Test("a 10 MB stored key: the first frame comes at once with its length, and q works", arguments: installedBinaries)
    func hugeKey(app: String) throws {
        let json = "{\"checkout-idempotency-key\": \"" + String(repeating: "k", count: 10_000_000) + "\"}"
        let state = try stateDirectory(["localStorage.json": Data(json.utf8)])
        let tmux = try TmuxSession("'\(app)' --state-dir '\(state)'")
        #expect(tmux.waitFor("characters in all", seconds: 10).contains("10000000 characters in all"))
        try tmux.type("q")
        #expect(tmux.waitFor("EXIT=", seconds: 5).contains("EXIT=0"))
    }

    // MARK: - Helpers

    private func python(_ script: String, _ argument: String) throws {
        let pid = try startPython(script, argument)
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
        #expect(status == 0, "python3 failed")
    }

    private func startPython(_ script: String, _ argument: String) throws -> pid_t {
        let environment = ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" }
        return try startProcess(["/usr/bin/env", "python3", "-c", script, argument], environment: environment) { actions in
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
    }

    private func waitForFile(_ path: String, seconds: Double = 10) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if FileManager.default.fileExists(atPath: path) { return true }
            usleep(20_000)
        }
        return false
    }
}

@Suite("Recording with R", .serialized)
struct RecordKeyEndToEndTests {
    @Test("R starts and stops a recording in the state directory, shown on screen, and it replays green")
    func recordIntoStateDirectory() throws {
        let state = freshStateDirectory()
        let tmux = try TmuxSession("'\(binary)' --state-dir '\(state)'", width: 160)
        tmux.waitFor("No request yet")
        try tmux.type("R")
        let file = state + "/recordings/recording-1.yaml"
        #expect(tmux.waitFor("recording to").contains(file))
        try tmux.addAndCheckOut()
        try tmux.type("R")
        #expect(tmux.waitFor("steps to").contains(file))
        try tmux.type("q")
        tmux.waitFor("EXIT=")
        let replay = try TmuxSession("'\(binary)' run '\(file)'")
        #expect(replay.waitFor("EXIT=").contains("1 passed, 0 failed"))
    }
}

@Suite("A first visit", .serialized)
struct FirstVisitEndToEndTests {
    @Test("a fresh state directory starts with one item, so the first c validates at once; a second start adds nothing")
    func oneItemToStart() throws {
        let state = freshStateDirectory()
        let tmux = try TmuxSession("'\(binary)' --state-dir '\(state)'")
        #expect(tmux.waitFor("1× House beans 1 kg").contains("Total €23.40"))
        try tmux.type("c")
        #expect(storedKey(in: tmux.waitForStoredKey(after: "stored the key")) != nil)
        try tmux.type("q")
        tmux.waitFor("EXIT=")
        let again = try TmuxSession("'\(binary)' --state-dir '\(state)'")
        let screen = again.waitFor("found in localStorage")
        #expect(screen.contains("1× House beans 1 kg") && !screen.contains("2× House beans"), "\(screen)")
        try again.type("q")
    }
}
