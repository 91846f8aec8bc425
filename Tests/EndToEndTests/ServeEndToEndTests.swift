import CheckoutProto
import Foundation
import SwiftProtobuf
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `checkout-sim serve --headless`, the real binary (debug and release builds), driven over
/// loopback HTTP by third-party clients: curl (JSON and binary protobuf), `buf curl` (Connect
/// and gRPC-Web) and the Connect Python client, with rules armed through the admin API.
/// scripts/test.sh installs the clients; in CI a missing one is a failure, never a skip.
@Suite("serve, end to end with third-party clients", .serialized, .enabled(if: WireTools.missing.isEmpty || runningInCI))
struct ServeEndToEndTests {
    static let validate = "ValidateOrderItemsInsert"

    @Test("the third-party clients are installed (scripts/test.sh installs them)")
    func clientsInstalled() {
        #expect(WireTools.missing.isEmpty, "missing \(WireTools.missing): run scripts/test.sh, or scripts/test-venv.sh and apt-get install curl")
    }

    // MARK: - curl

    @Test("curl, JSON: a first validation gets a new key, a retry with it the same PaymentIntent, a rotation a new key",
          arguments: installedBinaries)
    func curlKeys(app: String) throws {
        let server = try ServeProcess(app: app)
        let first = try postJSON(server, validation())
        #expect(first.status == 200, "\(first)")
        let key = try #require(first.json?["idempotencyKey"] as? String, "no key in \(first)")
        let intent = try #require(first.json?["paymentIntentId"] as? String, "no PaymentIntent in \(first)")

        let retry = try postJSON(server, validation(key: key))
        #expect(retry.json?["idempotencyKey"] as? String == key, "\(retry)")
        #expect(retry.json?["paymentIntentId"] as? String == intent, "\(retry)")

        try server.arm(#""rotate""#)
        let rotated = try postJSON(server, validation(key: key))
        let newKey = try #require(rotated.json?["idempotencyKey"] as? String, "\(rotated)")
        #expect(newKey != key)
        #expect(rotated.json?["paymentIntentId"] as? String != intent)
        #expect(rotated.headers["checkout-sim-rules"] == "rotate", "\(rotated.headers)")
        let statuses = Dictionary(uniqueKeysWithValues: try server.sessions().compactMap { session in
            (session["key"] as? String).map { ($0, session["status"] as? String ?? "") }
        })
        #expect(statuses == [key: "rotated", newKey: "open"])
        #expect(try server.journalKinds().filter { $0 == "arrival" }.count == 3, "every request is journaled as it arrives")
    }

    @Test("curl, binary protobuf (gzip too): a key comes back; the Stripe failures and a generic error carry Connect's statuses",
          arguments: installedBinaries)
    func curlProtobufAndErrors(app: String) throws {
        let server = try ServeProcess(app: app)
        var request = Checkout_V1_ValidateOrderItemsInsertRequest()
        request.items = [Checkout_V1_OrderItem.with { $0.sku = "BEANS-1KG"; $0.quantity = 2 }]
        request.paymentMethod = .card
        let binary = try curl(server.rpcURL(Self.validate), headers: ["Content-Type: application/proto"], body: request.serializedData())
        #expect(binary.status == 200 && binary.headers["content-type"] == "application/proto", "\(binary)")
        let reply = try Checkout_V1_ValidateOrderItemsInsertResponse(serializedBytes: binary.body)
        #expect(!reply.idempotencyKey.isEmpty && reply.totalCents == 2 * 1850 + reply.shippingCents)

        request.idempotencyKey = reply.idempotencyKey
        let gzipped = try curl(server.rpcURL(Self.validate), headers: ["Content-Type: application/proto", "Content-Encoding: gzip"],
                               body: gzip(request.serializedData()))
        let again = try Checkout_V1_ValidateOrderItemsInsertResponse(serializedBytes: gzipped.body)
        #expect(again.idempotencyKey == reply.idempotencyKey && again.paymentIntentID == reply.paymentIntentID, "\(gzipped)")

        let cases: [(rule: String, status: Int, code: String, message: String)] = [
            (#""payment_already_completed""#, 400, "failed_precondition", "Payment already completed for this session. Please clear your checkout and start a new order."),
            (#""payment_unavailable""#, 503, "unavailable", "payment unavailable"),
            (#""failed_to_create_payment_intent""#, 500, "internal", "failed to create payment intent"),
            (#"{"error": {"message": "cart total mismatch", "code": "invalid_argument"}}"#, 400, "invalid_argument", "cart total mismatch"),
        ]
        for (rule, status, code, message) in cases {
            try server.arm(rule)
            let failed = try curl(server.rpcURL(Self.validate), headers: ["Content-Type: application/proto"], body: request.serializedData())
            #expect(failed.status == status, "\(rule): \(failed)")
            #expect(failed.headers["content-type"] == "application/json", "\(rule): \(failed.headers)")
            #expect(failed.json?["code"] as? String == code && failed.json?["message"] as? String == message, "\(rule): \(failed)")
        }
        #expect(try postJSON(server, validation(key: reply.idempotencyKey)).json?["paymentIntentId"] as? String == reply.paymentIntentID,
                "an injected error creates nothing: the key still leads to its PaymentIntent")
    }

    @Test("curl: timeout and drop_response close the connection without a reply at the deadline; connection_reset resets it; garble_response is 200 and undecodable",
          arguments: installedBinaries)
    func curlWireFaults(app: String) throws {
        let server = try ServeProcess(app: app)
        let deadline = ["Content-Type: application/json", "Connect-Timeout-Ms: 600"]
        for rule in ["timeout", "drop_response"] {
            let sessionsBefore = try server.sessions().count
            try server.arm(#""\#(rule)""#)
            let start = Date()
            let closed = try curl(server.rpcURL(Self.validate), headers: deadline, body: Data(validation().utf8), maxTime: 8)
            let elapsed = Date().timeIntervalSince(start)
            #expect(closed.status == 0 && closed.curlExit == 52, "\(rule): a connection closed without a reply, not \(closed)")
            #expect(elapsed >= 0.55 && elapsed < 5, "\(rule): held until the 600 ms deadline, took \(elapsed) s")
            // timeout never reaches the backend; drop_response is processed (an orphan session).
            #expect(try server.sessions().count == sessionsBefore + (rule == "timeout" ? 0 : 1), "\(rule)")
        }

        try server.arm(#""connection_reset""#)
        let reset = try curl(server.rpcURL(Self.validate), headers: deadline, body: Data(validation().utf8))
        #expect(reset.status == 0 && reset.curlExit == 56 && reset.curlError.contains("reset"), "\(reset)")

        var request = Checkout_V1_ValidateOrderItemsInsertRequest()
        request.items = [Checkout_V1_OrderItem.with { $0.sku = "MUG"; $0.quantity = 1 }]
        request.paymentMethod = .card
        for (contentType, body) in [("application/json", Data(validation().utf8)), ("application/proto", try request.serializedData())] {
            try server.arm(#""garble_response""#)
            let garbled = try curl(server.rpcURL(Self.validate), headers: ["Content-Type: \(contentType)"], body: body)
            #expect(garbled.status == 200 && garbled.headers["checkout-sim-rules"] == "garble_response", "\(contentType): \(garbled)")
            if contentType == "application/json" {
                #expect(garbled.json == nil, "garbled JSON must not parse: \(garbled)")
            } else {
                #expect(throws: (any Error).self, "garbled protobuf must not decode") {
                    try Checkout_V1_ValidateOrderItemsInsertResponse(serializedBytes: garbled.body)
                }
            }
        }
        let log = server.process.stdout
        #expect(log.contains("(closed without a reply: timeout)") && log.contains("(connection reset)"), "request log: \(log.suffix(800))")
    }

    // MARK: - buf curl

    @Test("buf curl, Connect and gRPC-Web: a key and a retry with it; an armed Stripe failure is the client's error",
          arguments: installedBinaries)
    func bufCurlProtocols(app: String) throws {
        let server = try ServeProcess(app: app)
        for rpcProtocol in ["connect", "grpcweb"] {
            let first = try bufCurl(server, Self.validate, validation(), rpcProtocol: rpcProtocol)
            #expect(first.status == 0, "\(rpcProtocol): \(first.stderr)")
            let reply = try #require(jsonObject(first.stdout), "\(rpcProtocol): \(first.stdout)")
            let key = try #require(reply["idempotencyKey"] as? String, "\(rpcProtocol): \(first.stdout)")
            let retry = try bufCurl(server, Self.validate, validation(key: key), rpcProtocol: rpcProtocol)
            #expect(jsonObject(retry.stdout)?["paymentIntentId"] as? String == reply["paymentIntentId"] as? String, "\(rpcProtocol): \(retry.stdout)")

            try server.arm(#""payment_unavailable""#)
            let failed = try bufCurl(server, Self.validate, validation(key: key), rpcProtocol: rpcProtocol)
            #expect(failed.status != 0, "\(rpcProtocol)")
            let error = jsonObject(failed.stderr)
            #expect(error?["code"] as? String == "unavailable" && error?["message"] as? String == "payment unavailable",
                    "\(rpcProtocol): \(failed.stderr)")
        }
        let arrivals = try arrivalProtocols(server)
        #expect(arrivals.filter { $0 == "connect+proto" }.count == 3 && arrivals.filter { $0 == "grpc-web+proto" }.count == 3, "\(arrivals)")
    }

    // MARK: - The Connect Python client

    @Test("Connect Python client (gzip, binary, under --prefix): first validation, retry with the key, already-completed, both Stripe failures, a generic error",
          arguments: installedBinaries)
    func connectClientKeysAndErrors(app: String) throws {
        let server = try ServeProcess(app: app, prefix: "/api")
        let first = try connectCall(server, "validate", validation())
        let key = try #require(first["idempotency_key"], "\(first)")
        let retry = try connectCall(server, "validate", validation(key: key))
        #expect(retry["idempotency_key"] == key && retry["payment_intent_id"] == first["payment_intent_id"], "\(retry)")
        #expect(try arrivalProtocols(server) == ["connect+proto", "connect+proto"], "the client's default: binary protobuf")

        let cases: [(rule: String, code: String, message: String)] = [
            (#""payment_already_completed""#, "failed_precondition", "Payment already completed for this session. Please clear your checkout and start a new order."),
            (#""payment_unavailable""#, "unavailable", "payment unavailable"),
            (#""failed_to_create_payment_intent""#, "internal", "failed to create payment intent"),
            (#"{"error": {"message": "Something odd", "code": "aborted"}}"#, "aborted", "Something odd"),
        ]
        for (rule, code, message) in cases {
            try server.arm(rule)
            let failed = try connectCall(server, "validate", validation(key: key), ["--json"])
            #expect(!failed.ok && failed.code == code && failed.message == message, "\(rule): \(failed)")
        }
        // Twice: the client's retry without a key fails again; the next fresh validation succeeds.
        try server.arm(#"{"payment_already_completed": {"times": 2}}"#)
        for keySent in [key, nil] {
            let refused = try connectCall(server, "validate", validation(key: keySent))
            #expect(refused.code == "failed_precondition", "\(keySent ?? "no key"): \(refused)")
        }
        let fresh = try connectCall(server, "validate", validation())
        #expect(fresh.ok && fresh["idempotency_key"] != key, "\(fresh)")
    }

    @Test("Connect Python client: latency delays only its request; timeout and drop_response end at the client's deadline; reset is unavailable; garble does not decode",
          arguments: installedBinaries)
    func connectClientWireFaults(app: String) throws {
        let server = try ServeProcess(app: app)
        try server.arm(#"{"latency": "1500ms"}"#)
        let slow = try startConnectCall(server, "validate", validation())
        try waitForArrivals(server, count: 1)
        let quick = try connectCall(server, "validate", validation())
        let delayed = try ConnectOutcome(slow.finish())
        #expect(delayed.ok && delayed.elapsedMillis >= 1450, "the armed request is delayed: \(delayed)")
        #expect(quick.ok && quick.elapsedMillis < 1000, "another request meanwhile is not: \(quick)")

        for rule in ["timeout", "drop_response"] {
            try server.arm(#""\#(rule)""#)
            let lost = try connectCall(server, "validate", validation(), ["--timeout-ms", "700"])
            #expect(lost.code == "deadline_exceeded" && (650..<5000).contains(lost.elapsedMillis), "\(rule): \(lost)")
        }
        try server.arm(#""connection_reset""#)
        let reset = try connectCall(server, "validate", validation())
        #expect(reset.code == "unavailable" && reset.elapsedMillis < 1000, "\(reset)")
        for options in [[], ["--json"], ["--grpc-web"]] {
            try server.arm(#""garble_response""#)
            let garbled = try connectCall(server, "validate", validation(), options)
            #expect(!garbled.ok && garbled.code == "invalid_argument" && (garbled.message ?? "").contains("unmarshal"), "\(options): \(garbled)")
        }
    }

    @Test("payment with each Stripe test card, and 3-D Secure completed and failed (Connect client, JSON)", arguments: installedBinaries)
    func testCards(app: String) throws {
        let server = try ServeProcess(app: app)
        let cards: [(number: String, status: String, decline: String?)] = [
            ("4242424242424242", "SUCCEEDED", nil),
            ("4000000000000002", "REQUIRES_PAYMENT_METHOD", "card_declined"),
            ("4000000000009995", "REQUIRES_PAYMENT_METHOD", "insufficient_funds"),
            ("4000002760003184", "REQUIRES_ACTION", nil),
        ]
        for (number, status, decline) in cards {
            let confirmed = try pay(server, card: number)
            #expect(confirmed["status"] == status && confirmed["decline_code"] == decline, "\(number): \(confirmed)")
        }
        for (redirect, status) in [("succeeded", "SUCCEEDED"), ("failed", "REQUIRES_PAYMENT_METHOD")] {
            let confirmed = try pay(server, card: "4000002760003184")
            let intent = try #require(confirmed["payment_intent_id"])
            #expect(confirmed["redirect_url"]?.contains(intent) == true, "\(confirmed)")
            let completed = try connectCall(server, "redirect", #"{"payment_intent_id": "\#(intent)", "redirect_status": "\#(redirect)"}"#, ["--json"])
            #expect(completed["status"] == status && completed["redirect_status"] == redirect, "\(redirect): \(completed)")
        }
        let intents = try server.admin("sessions")["payment_intents"] as? [[String: Any]] ?? []
        #expect(intents.filter { $0["status"] as? String == "succeeded" }.count == 2, "\(intents)")
    }

    // MARK: - Signals

    @Test("SIGTERM and SIGINT: new connections refused, the request in flight answered, exit 0",
          arguments: installedBinaries, [SIGTERM, SIGINT])
    func gracefulExit(app: String, signal: Int32) throws {
        let server = try ServeProcess(app: app)
        try server.arm(#"{"latency": "1500ms"}"#)
        let inFlight = try startConnectCall(server, "validate", validation())
        try waitForArrivals(server, count: 1)
        kill(server.process.pid, signal)
        usleep(300_000)
        let refused = try curl(server.baseURL + "/__admin/health", method: "GET", maxTime: 3)
        #expect(refused.status == 0 && refused.curlExit == 7, "no new connection after the signal: \(refused)")
        let answered = try ConnectOutcome(inFlight.finish())
        #expect(answered.ok && answered["idempotency_key"] != nil, "\(answered)")
        let status = server.process.exitStatus(within: 15)
        #expect(status == 0, "exit status \(status.map(String.init) ?? "none: still running 15 s later"); stderr: \(server.process.stderr)")
    }

    /// A signal while a client keeps the server busy: the release build used to abort in
    /// exit()'s destructors ("free(): invalid next size") while connections were still closing.
    @Test("SIGTERM under load (wrk): exit 0 and nothing on stderr", arguments: installedBinaries)
    func exitUnderLoad(app: String) throws {
        let server = try ServeProcess(app: app)
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("cs-e2e-\(UUID().uuidString).lua").path
        defer { unlink(script) }
        try """
            wrk.method = "POST"
            wrk.headers["Content-Type"] = "application/json"
            wrk.body = '\(validation())'
            """.write(toFile: script, atomically: true, encoding: .utf8)
        let load = try ChildProcess(["/usr/bin/env", "wrk", "-t1", "-c16", "-d4s", "-s", script, server.rpcURL(Self.validate)],
                                    environment: ["PATH=/usr/bin:/bin"])
        try waitForArrivals(server, count: 50)
        kill(server.process.pid, SIGTERM)
        let status = server.process.exitStatus(within: 15)
        #expect(status == 0, "exit status \(status.map(String.init) ?? "none: still running 15 s later"); stderr: \(server.process.stderr)")
        #expect(server.process.stderr.isEmpty, "\(server.process.stderr)")
        _ = load.exitStatus(within: 10)
    }

    // MARK: - Helpers

    private func postJSON(_ server: ServeProcess, _ body: String) throws -> HTTPReply {
        try curl(server.rpcURL(Self.validate), headers: ["Content-Type: application/json"], body: Data(body.utf8))
    }

    /// Validates a new cart and confirms its PaymentIntent with `card`; the confirmation.
    private func pay(_ server: ServeProcess, card: String) throws -> ConnectOutcome {
        let validated = try connectCall(server, "validate", validation(), ["--json"])
        let intent = try #require(validated["payment_intent_id"], "\(validated)")
        let secret = try #require(validated["client_secret"], "\(validated)")
        let body = #"{"payment_intent_id": "\#(intent)", "client_secret": "\#(secret)", "card_number": "\#(card)", "return_url": "https://shop.test/back"}"#
        return try connectCall(server, "confirm", body, ["--json"])
    }

    /// The wire format of each request, as journaled on arrival.
    private func arrivalProtocols(_ server: ServeProcess) throws -> [String] {
        let entries = try server.admin("journal?after=0")["entries"] as? [[String: Any]] ?? []
        return entries.filter { $0["kind"] as? String == "arrival" }.compactMap { ($0["body"] as? [String: Any])?["protocol"] as? String }
    }

    /// Waits (long-polling the journal) until `count` requests have arrived.
    private func waitForArrivals(_ server: ServeProcess, count: Int, seconds: Double = 15) throws {
        let deadline = Date().addingTimeInterval(seconds)
        var seen: [String] = []
        while Date() < deadline {
            seen = try server.journalKinds()
            if seen.filter({ $0 == "arrival" }).count >= count { return }
            usleep(20_000)
        }
        Issue.record("\(count) arrival(s) expected within \(seconds) s; the journal has \(seen)")
    }
}

/// A JSON object from text, or `nil`.
func jsonObject(_ text: String) -> [String: Any]? {
    (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
}

/// `data` gzipped by Debian's gzip.
func gzip(_ data: Data) throws -> Data {
    let input = FileManager.default.temporaryDirectory.appendingPathComponent("cs-gzip-\(UUID().uuidString)")
    try data.write(to: input)
    defer { unlink(input.path); unlink(input.path + ".gz") }
    _ = try ChildProcess(["/usr/bin/gzip", "-f", input.path], environment: []).finish()
    return try Data(contentsOf: URL(fileURLWithPath: input.path + ".gz"))
}
