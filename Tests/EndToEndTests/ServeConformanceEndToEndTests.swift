import Foundation
import Testing

/// The protocol cases beyond the common one, against the real binary (debug and release):
/// sonora, a third-party gRPC-Web client; grpc-web-text; a cut gzip body; other methods on a
/// procedure; the headers a cross-origin page may read on the actual reply.
@Suite("serve: protocol conformance")
struct ServeConformanceEndToEndTests {
    static let sonoraPython = repositoryRoot.appendingPathComponent(".build-venv-sonora/bin/python").path
    static let sonoraScript = repositoryRoot.appendingPathComponent("Tests/EndToEndTests/clients/grpcweb_sonora.py").path
    static let cart = #"{"items":[{"sku":"MUG","quantity":1}],"paymentMethod":"CARD","email":"a@example.com","currency":"EUR"}"#

    @Test("sonora (gRPC-Web, PyPI) through the key lifecycle", arguments: installedBinaries)
    func sonora(app: String) throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.sonoraPython), "run scripts/test-venv.sh (scripts/test.sh does)")
        let server = try ServeProcess(app: app)
        let run = try ChildProcess([Self.sonoraPython, Self.sonoraScript, "--base", server.baseURL], environment: WireTools.environment)
        guard run.exitStatus(within: 60) != nil else {
            Issue.record("sonora did not finish within 60 s: \(run.stdout)")
            return
        }
        let output = run.finish()
        #expect(output.status == 0, "\(output.stdout)\n\(output.stderr.suffix(2000))")
        #expect(output.stdout.contains("sonora checks: 5 passed, 0 failed"), "\(output.stdout)")
    }

    @Test("grpc-web-text, a cut gzip body, PUT on a procedure, exposed headers", arguments: installedBinaries)
    func rawCases(app: String) throws {
        let server = try ServeProcess(app: app)
        let url = server.rpcURL("ValidateOrderItemsInsert")
        // {items: [{sku: "MUG", quantity: 1}], payment_method: CARD} in protobuf, in one frame, in base64.
        let message: [UInt8] = [0x0A, 0x07, 0x0A, 0x03, 0x4D, 0x55, 0x47, 0x10, 0x01, 0x10, 0x01]
        let frame = Data([0, 0, 0, 0, UInt8(message.count)] + message)
        let text = try curl(url, headers: ["Content-Type: application/grpc-web-text", "X-Grpc-Web: 1"], body: frame.base64EncodedData())
        #expect(text.status == 200, "\(text)")
        #expect(text.headers["content-type"] == "application/grpc-web-text+proto", "\(text.headers)")
        let decoded = try #require(Data(base64Encoded: text.body), "not base64: \(text)")
        #expect(String(decoding: decoded, as: UTF8.self).hasSuffix("grpc-status: 0\r\n"), "\(decoded as NSData)")

        let gzip = try #require(try gzipped(Data(Self.cart.utf8)))
        let before = try server.admin("journal?after=0")["last"] as? Int ?? -1
        let cut = try curl(url, headers: ["Content-Type: application/json", "Content-Encoding: gzip"], body: gzip.prefix(gzip.count - 6))
        #expect(cut.status == 400 && cut.json?["code"] as? String == "invalid_argument", "\(cut)")
        #expect(try server.journalKinds(after: before).isEmpty, "a cut body reached the backend")

        for method in ["PUT", "DELETE", "PATCH"] {
            let reply = try curl(url, method: method, headers: ["Content-Type: application/json"], body: Data(Self.cart.utf8))
            #expect(reply.status == 405 && reply.headers["allow"] == "POST, OPTIONS", "\(method): \(reply) \(reply.headers)")
        }

        let cors = try curl(url, headers: ["Content-Type: application/json", "Origin: http://localhost:5173"], body: Data(Self.cart.utf8))
        #expect(cors.headers["access-control-expose-headers"]?.contains("Checkout-Sim-Journal") == true, "\(cors.headers)")
    }

    private func gzipped(_ data: Data) throws -> Data? {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cs-gzip-\(UUID().uuidString)").path
        defer { unlink(path); unlink(path + ".gz") }
        try data.write(to: URL(fileURLWithPath: path))
        _ = try ChildProcess(["/bin/gzip", "-n", path], environment: WireTools.environment).finish()
        return try? Data(contentsOf: URL(fileURLWithPath: path + ".gz"))
    }
}
