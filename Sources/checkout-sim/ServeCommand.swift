import ArgumentParser
import CheckoutCore
import Foundation
import MockBackend
import MockServer

/// `checkout-sim serve`: the mock backend over real HTTP (Connect, gRPC-Web, the
/// admin API), with the TUI as its control panel, or `--headless` for CI.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the mock backend over HTTP (Connect and gRPC-Web) for your own front end.",
        discussion: """
            Point your front end at http://127.0.0.1:8787 (the service is at /checkout.v1.CheckoutService/). \
            Arm rules from test code with POST /__admin/rules, or with the TUI's keys; docs/serve.md has the admin API.
            """)

    @Flag(help: "No TUI: print 'listening on http://HOST:PORT' first, then one line per request.")
    var headless = false

    @Option(help: "The address to listen on. Anything but loopback exposes the mock backend to the network.")
    var host = "127.0.0.1"

    @Option(help: "The port (0 picks a free one).")
    var port: Int = 8787

    @Option(help: "A path before the service's, e.g. /api for /api/checkout.v1.CheckoutService/….")
    var prefix = ""

    @Option(name: .customLong("cors-origin"), help: "An origin a browser front end may call from (repeatable; default: any).")
    var corsOrigins: [String] = []

    @Option(name: .customLong("allowed-host"),
            help: "A Host name to serve besides localhost, loopback addresses and --host (repeatable; .example.test for it and its subdomains).")
    var allowedHosts: [String] = []

    @Option(name: .customLong("admin-token"),
            help: "Require 'Authorization: Bearer TOKEN' on the admin API. Generated and printed when --host is not loopback.")
    var adminToken: String?

    @Option(help: "Request log format with --headless: text or json.")
    var logFormat: LogFormat = .text

    @Option(help: ArgumentHelp("With --headless, where each request is logged: off, stdout (default) or a file, appended to (./stdout for a file of that name).",
                               valueName: "off|stdout|file"))
    var log: String?

    @Option(help: "Close a connection whose request headers take longer (e.g. 10s, 1500ms).")
    var headerTimeout = "10s"

    @Option(help: "Answer 408 and close when a request body takes longer.")
    var bodyTimeout = "30s"

    @Option(help: "Close a kept-alive connection without a request for this long.")
    var idleTimeout = "60s"

    @Option(help: "Open connections at most (default: as many as the descriptor limit allows, less 128).")
    var maxConnections: Int?

    @OptionGroup var stateOptions: StateOptions

    @Flag(help: "Keep the backend in memory (nothing on disk; other processes cannot arm rules).")
    var inMemory = false

    @OptionGroup var seedOptions: SeedOptions<WorldSeed>

    /// The policy the lint judges the clients against (and the TUI's simulated client plays).
    @OptionGroup var clientOptions: ClientOptions

    @Option(help: "Keep the journal's newest N lines; older ones are deleted as new ones come (default \(JournalLimit.standard.entries)).")
    var journalLimit: Int = JournalLimit.standard.entries

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0 to 65535") }
        guard !host.isEmpty else { throw ValidationError("--host must not be empty") }
        guard prefix.isEmpty || prefix.hasPrefix("/") else { throw ValidationError("--prefix starts with /, e.g. /api") }
        if let adminToken, adminToken.count < 8 || !adminToken.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) {
            throw ValidationError("--admin-token takes at least 8 printable ASCII characters, no spaces")
        }
        for name in allowedHosts where HostPolicy.hostName(name.hasPrefix(".") ? String(name.dropFirst()) : name) == nil {
            throw ValidationError("--allowed-host takes a host name such as shop.test or .example.test, not \"\(UntrustedText.escaped(name, limit: 60))\"")
        }
        guard (1...1_000_000_000).contains(journalLimit) else { throw ValidationError("--journal-limit must be 1 to 1000000000 lines") }
        for (name, value) in [("--header-timeout", headerTimeout), ("--body-timeout", bodyTimeout), ("--idle-timeout", idleTimeout)]
        where TransportLimits.duration(value) == nil {
            throw ValidationError("\(name) takes a duration from 1ms to 24h, such as 10s, 1500ms or 2m, not '\(UntrustedText.escaped(value, limit: 40))'")
        }
        if let maxConnections, maxConnections < 1 { throw ValidationError("--max-connections must be at least 1") }
        if let log, !headless, LogDestination(log) != .standardOutput {
            throw ValidationError("--log \(UntrustedText.escaped(log, limit: 80)) works with --headless (the TUI shows each request on its timeline)")
        }
        if let log, log.isEmpty { throw ValidationError("--log takes off, stdout or a file's path") }
    }

    /// The timeouts and the connection limit, under the descriptor limit (raised first to the hard limit).
    private func limits() -> TransportLimits {
        let allowed = TransportLimits.connections(descriptorLimit: TransportLimits.raiseDescriptorLimit())
        if let maxConnections, maxConnections > allowed {
            printError("warning: --max-connections \(maxConnections) is more than the descriptor limit allows; serving at most \(allowed)")
        }
        return TransportLimits(headerTimeout: TransportLimits.duration(headerTimeout)!, bodyTimeout: TransportLimits.duration(bodyTimeout)!,
                               idleTimeout: TransportLimits.duration(idleTimeout)!, maxConnections: min(maxConnections ?? allowed, allowed))
    }

    func run() throws {
        var options = ServerOptions(host: host, port: port, prefix: prefix, corsOrigins: corsOrigins,
                                    allowedHosts: allowedHosts, adminToken: adminToken)
        if !options.isLoopback, options.adminToken == nil { options.adminToken = AdminAccess.generateToken() }
        if let warning = Self.exposureWarning(options) { printError("warning: " + warning) }
        if headless {
            let host = try makeHost()
            if !inMemory { ServerRunner.checkpointEverySecond(WALCheckpointer(directory: stateOptions.directory)) }
            try ServerRunner.runHeadless(host: host, options: options, limits: limits(), log: LogDestination(log ?? "stdout"), format: logFormat)
        } else {
            let onScreen = options.isLoopback ? nil : "reachable from other machines: the admin API needs Authorization: Bearer \(options.adminToken ?? "")"
            try ServeInterface.launch(options: options, limits: limits(), stateDir: stateOptions.stateDir, seed: seedOptions.seed,
                                      client: clientOptions.client,
                                      journalLimit: JournalLimit(entries: journalLimit), warning: onScreen)
            // The server has stopped and the terminal is restored: leave without running
            // destructors while the event loops may still close connections (as runHeadless does).
            fflush(nil)
            _exit(0)
        }
    }

    /// What a non-loopback bind exposes, and the token the admin API then needs.
    static func exposureWarning(_ options: ServerOptions) -> String? {
        guard !options.isLoopback else { return nil }
        return "listening on \(options.host) exposes the mock backend to other machines; "
            + "the admin API needs 'Authorization: Bearer \(options.adminToken ?? "")'"
    }

    private func makeHost() throws -> BackendHost {
        let store: BackendStore
        if inMemory {
            store = InMemoryBackendStore(journalLimit: JournalLimit(entries: journalLimit))
        } else {
            store = try StateDirectory.backendStore(stateOptions.directory, checkpointsInBackground: true,
                                                    journalLimit: JournalLimit(entries: journalLimit))
        }
        return BackendHost(backend: MockBackend(store: store, seed: seedOptions.seed), lintPolicy: clientOptions.client)
    }
}

extension LogFormat: ExpressibleByArgument {}
