import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A process a test started, with standard output and error going to files the
/// test can read while it runs. Killed when dropped, if it is still running.
final class ChildProcess {
    let pid: pid_t
    private let stdoutPath: String
    private let stderrPath: String
    private var status: Int32?

    /// `standardOutput`: a descriptor (a pipe's end) for its stdout instead of a file.
    init(_ argv: [String], environment: [String], standardOutput: Int32? = nil) throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("cs-e2e-run-\(UUID().uuidString)").path
        let (out, err) = (base + ".out", base + ".err")
        (stdoutPath, stderrPath) = (out, err)
        pid = try startProcess(argv, environment: environment) { actions in
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            if let standardOutput {
                posix_spawn_file_actions_adddup2(&actions, standardOutput, 1)
            } else {
                posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            }
            posix_spawn_file_actions_addopen(&actions, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        }
    }

    deinit {
        if status == nil {
            kill(pid, SIGKILL)
            _ = exitStatus(within: 5)
        }
        unlink(stdoutPath)
        unlink(stderrPath)
    }

    /// What it printed so far.
    var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// Waits for it to exit: its status (128 + N when signal N ended it) and what it printed.
    func finish() -> ProcessOutput {
        if status == nil {
            var raw: Int32 = 0
            while waitpid(pid, &raw, 0) == -1 && errno == EINTR {}
            status = Self.exitCode(raw)
        }
        return ProcessOutput(status: status ?? -1, stdout: stdout, stderr: stderr)
    }

    /// The exit status, or `nil` if it is still running after `seconds`.
    func exitStatus(within seconds: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while status == nil {
            var raw: Int32 = 0
            if waitpid(pid, &raw, WNOHANG) == pid {
                status = Self.exitCode(raw)
            } else if Date() >= deadline {
                break
            } else {
                usleep(20_000)
            }
        }
        return status
    }

    private static func exitCode(_ raw: Int32) -> Int32 { raw & 0x7f == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f) }
}

/// Why a server under test could not be used.
struct ServeFailure: Error, CustomStringConvertible {
    var description: String
}

/// `checkout-sim serve --headless` on a free loopback port with a fresh state directory,
/// read until its first line says where it listens.
final class ServeProcess {
    let process: ChildProcess
    /// `http://127.0.0.1:PORT`.
    let baseURL: String
    /// Where the service is: `baseURL` and the `--prefix`.
    let serviceBase: String
    let stateDirectory: String

    /// How long a (debug) build may take to say where it listens.
    static let startTimeout = 30.0

    /// `stateDirectory`: another server's, to share it (a fresh one otherwise); `arguments` go after
    /// serve's own; `descriptorLimit` starts it under `ulimit -n`; with `pipedOutput` its stdout is a
    /// pipe that only the `listening on` line is read from (`outputPipe` is its read end), as a CI
    /// script reads it. A wildcard bind is reached at 127.0.0.1.
    init(app: String, prefix: String = "", stateDirectory: String? = nil, arguments: [String] = [], descriptorLimit: Int? = nil,
         pipedOutput: Bool = false) throws {
        self.stateDirectory = stateDirectory ?? freshStateDirectory()
        var argv = [app, "serve", "--headless", "--port", "0", "--state-dir", self.stateDirectory] + (prefix.isEmpty ? [] : ["--prefix", prefix]) + arguments
        if let descriptorLimit {
            argv = ["/bin/sh", "-c", "ulimit -n \(descriptorLimit) && exec \"$@\"", "sh"] + argv
        }
        var ends: [Int32] = [-1, -1]
        if pipedOutput {
            guard pipe(&ends) == 0 else { throw ServeFailure(description: "pipe: \(String(cString: strerror(errno)))") }
            // Neither end leaks into other children; the server's stdout is a copy made by dup2.
            for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        }
        outputPipe = pipedOutput ? ends[0] : nil
        do {
            process = try ChildProcess(argv, environment: ["LANG=C.UTF-8"], standardOutput: pipedOutput ? ends[1] : nil)
        } catch {
            if pipedOutput { close(ends[0]); close(ends[1]) }
            throw error
        }
        if pipedOutput { close(ends[1]) }
        let deadline = Date().addingTimeInterval(Self.startTimeout)
        var seen = ""
        while Date() < deadline, process.exitStatus(within: 0) == nil {
            if let outputPipe {
                seen += readPipe(outputPipe, upTo: "\n", within: 0.05)
            } else {
                seen = process.stdout
            }
            if let end = seen.firstIndex(of: "\n") {
                let line = seen[..<end]
                guard let match = line.wholeMatch(of: /listening on http:\/\/(127\.0\.0\.1|0\.0\.0\.0):([0-9]+)/) else {
                    throw ServeFailure(description: "the first line is not 'listening on http://127.0.0.1:PORT' but \"\(line)\"")
                }
                baseURL = "http://127.0.0.1:\(match.2)"
                serviceBase = baseURL + prefix
                return
            }
            usleep(20_000)
        }
        throw ServeFailure(description: "no 'listening on' line within \(Self.startTimeout) s (exit status \(process.exitStatus(within: 0).map(String.init) ?? "none, still running")); stdout: \"\(seen.suffix(400))\", stderr: \"\(process.stderr.suffix(400))\"")
    }

    /// The read end of its stdout when it is a pipe.
    let outputPipe: Int32?

    deinit {
        if let outputPipe { close(outputPipe) }
        try? FileManager.default.removeItem(atPath: stateDirectory)
    }

    /// The URL of a method of the service.
    func rpcURL(_ method: String) -> String { "\(serviceBase)/checkout.v1.CheckoutService/\(method)" }

    /// Arms rules through the admin API (the scenario format's `backend:` form as JSON).
    @discardableResult
    func arm(_ rules: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> HTTPReply {
        let reply = try curl(baseURL + "/__admin/rules", headers: ["Content-Type: application/json"], body: Data(rules.utf8))
        #expect(reply.status == 201, "arming \(rules): \(reply)", sourceLocation: sourceLocation)
        return reply
    }

    /// A GET of the admin API, as JSON.
    func admin(_ path: String) throws -> [String: Any] {
        let reply = try curl(baseURL + "/__admin/" + path, method: "GET")
        guard reply.status == 200, let object = reply.json else { throw ServeFailure(description: "GET /__admin/\(path): \(reply)") }
        return object
    }

    /// The open and closed sessions the backend holds (`GET /__admin/sessions`).
    func sessions() throws -> [[String: Any]] { (try admin("sessions")["sessions"] as? [[String: Any]]) ?? [] }

    /// The kinds of the journal's entries after `after`, in order.
    func journalKinds(after: Int = 0) throws -> [String] {
        ((try admin("journal?after=\(after)")["entries"] as? [[String: Any]]) ?? []).compactMap { $0["kind"] as? String }
    }

    /// Sends `signal`, then waits for the exit.
    func stop(_ signal: Int32, seconds: Double = 15) -> Int32? {
        kill(process.pid, signal)
        return process.exitStatus(within: seconds)
    }
}

/// Reads `descriptor` a byte at a time until `end` (included) or `seconds` pass: nothing
/// after `end` is taken from the pipe.
func readPipe(_ descriptor: Int32, upTo end: Character, within seconds: Double) -> String {
    let deadline = Date().addingTimeInterval(seconds)
    var bytes: [UInt8] = []
    while Date() < deadline {
        var ready = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&ready, 1, Int32(max(1, deadline.timeIntervalSinceNow * 1000))) == 1 else { continue }
        var byte: UInt8 = 0
        guard read(descriptor, &byte, 1) == 1 else { break }
        bytes.append(byte)
        if Character(UnicodeScalar(byte)) == end { break }
    }
    return String(decoding: bytes, as: UTF8.self)
}

// MARK: - Third-party clients

/// What the Debian packages and the test virtual environment (`scripts/test-venv.sh`) provide.
enum WireTools {
    static let curl = "/usr/bin/curl"
    static let venv = repositoryRoot.appendingPathComponent(".build-venv/bin").path
    static let buf = venv + "/buf"
    static let python = venv + "/python"
    static let connectScript = repositoryRoot.appendingPathComponent("Tests/EndToEndTests/clients/connect_call.py").path

    /// The tools that are missing (`scripts/test.sh` installs them all).
    static let missing: [String] = [curl, buf, python].filter { !FileManager.default.isExecutableFile(atPath: $0) }

    /// No proxy: every request of these tests goes to the loopback.
    static let environment = ["LANG=C.UTF-8", "PYTHONDONTWRITEBYTECODE=1", "HOME=\(NSHomeDirectory())", "PATH=/usr/bin:/bin", "NO_PROXY=*", "no_proxy=*"]
}

/// A reply as curl saw it. `status` is 0 when no reply came (see `curlExit`).
struct HTTPReply: CustomStringConvertible {
    var status: Int
    var headers: [String: String]
    var body: Data
    /// curl's exit status: 0, or 52 (empty reply), 56 (connection reset), 28 (timed out), …
    var curlExit: Int32
    var curlError: String

    var text: String { String(decoding: body, as: UTF8.self) }
    var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] }

    var description: String { "HTTP \(status) \(text.prefix(300)) (curl exit \(curlExit) \(curlError))" }
}

/// One HTTP request with curl: the body from a file (bytes as they are), the reply's status, headers and body.
func curl(_ url: String, method: String = "POST", headers: [String] = [], body: Data? = nil, maxTime: Double = 20) throws -> HTTPReply {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("cs-curl-\(UUID().uuidString)").path
    defer { for suffix in [".req", ".body", ".headers"] { unlink(base + suffix) } }
    var argv = [WireTools.curl, "-sS", "--noproxy", "*", "--max-time", String(maxTime), "-X", method,
                "-o", base + ".body", "-D", base + ".headers", "-w", "%{http_code}"]
    for header in headers { argv += ["-H", header] }
    if let body {
        try body.write(to: URL(fileURLWithPath: base + ".req"))
        argv += ["--data-binary", "@" + base + ".req"]
    }
    let output = try ChildProcess(argv + [url], environment: WireTools.environment).finish()
    var fields: [String: String] = [:]
    let head = (try? String(contentsOfFile: base + ".headers", encoding: .utf8)) ?? ""
    for line in head.split(whereSeparator: \.isNewline) {
        guard let colon = line.firstIndex(of: ":") else { continue }
        fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    return HTTPReply(status: Int(output.stdout) ?? 0, headers: fields,
                     body: (try? Data(contentsOf: URL(fileURLWithPath: base + ".body"))) ?? Data(),
                     curlExit: output.status, curlError: output.stderr.trimmingCharacters(in: .whitespacesAndNewlines))
}

/// `buf curl` (PyPI buf-bin) with the repository's schema: `rpcProtocol` is `connect` or `grpcweb`.
func bufCurl(_ server: ServeProcess, _ method: String, _ json: String, rpcProtocol: String) throws -> ProcessOutput {
    let argv = [WireTools.buf, "curl", "--schema", repositoryRoot.appendingPathComponent("proto").path, "--protocol", rpcProtocol,
                "--emit-defaults", "--data", json, server.rpcURL(method)]
    return try ChildProcess(argv, environment: WireTools.environment).finish()
}

/// What the Connect Python client (PyPI connectrpc) saw: the response or the error it raised.
struct ConnectOutcome: CustomStringConvertible {
    var ok: Bool
    var code: String?
    var message: String?
    var response: [String: Any]
    var elapsedMillis: Int
    var raw: String

    init(_ output: ProcessOutput) throws {
        guard output.status == 0, let object = (try? JSONSerialization.jsonObject(with: Data(output.stdout.utf8))) as? [String: Any] else {
            throw ServeFailure(description: "the Connect client failed (exit \(output.status)): \(output.stdout.suffix(300)) \(output.stderr.suffix(800))")
        }
        ok = object["ok"] as? Bool ?? false
        code = object["code"] as? String
        message = object["message"] as? String
        response = object["response"] as? [String: Any] ?? [:]
        elapsedMillis = object["elapsed_ms"] as? Int ?? -1
        raw = output.stdout
    }

    /// A string field of the response (proto field names).
    subscript(_ field: String) -> String? { response[field] as? String }

    var description: String { raw }
}

/// Starts the Connect Python client on one RPC (`validate`, `confirm`, `redirect`); `options` are
/// connect_call.py's (`--timeout-ms N`, `--json`, `--grpc-web`).
func startConnectCall(_ server: ServeProcess, _ method: String, _ json: String, _ options: [String] = []) throws -> ChildProcess {
    try ChildProcess([WireTools.python, WireTools.connectScript, server.serviceBase, method, json] + options,
                     environment: WireTools.environment)
}

/// The Connect Python client on one RPC, to the end.
func connectCall(_ server: ServeProcess, _ method: String, _ json: String, _ options: [String] = []) throws -> ConnectOutcome {
    try ConnectOutcome(startConnectCall(server, method, json, options).finish())
}

/// A validation request in proto3 JSON: one bag of beans by card, with `key` if given.
func validation(key: String? = nil, sku: String = "BEANS-1KG") -> String {
    let keyField = key.map { #", "idempotency_key": "\#($0)""# } ?? ""
    return #"{"items": [{"sku": "\#(sku)", "quantity": 1}], "payment_method": "CARD", "email": "qa@example.com"\#(keyField)}"#
}
