import HTTPTypes
import Logging
import Hummingbird
import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded

// Requests handed straight to a responder, no sockets: what HummingbirdTesting's `.router`
// mode does, without the HTTP client, TLS and HTTP/2 stack that package brings into the build.

/// How a test reaches the application: only `.router` (straight to the responder).
enum TestingSetup { case router }

/// A reply as the responder wrote it.
struct TestResponse: Sendable {
    let head: HTTPResponse
    let body: ByteBuffer
    let trailerHeaders: HTTPFields?

    var status: HTTPResponse.Status { head.status }
    var headers: HTTPFields { head.headerFields }
}

/// Sends one request and returns the reply.
protocol TestClientProtocol: Sendable {
    func executeRequest(uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?) async throws -> TestResponse
}

extension TestClientProtocol {
    /// Sends `method uri` with `headers` and `body`.
    @discardableResult
    func execute(uri: String, method: HTTPRequest.Method, headers: HTTPFields = [:], body: ByteBuffer? = nil) async throws -> TestResponse {
        try await executeRequest(uri: uri, method: method, headers: headers, body: body)
    }
}

extension ApplicationProtocol where Responder.Context: InitializableFromSource<ApplicationRequestContextSource> {
    /// Runs `test` with a client whose requests go straight to this application's responder.
    func test<Value>(_ setup: TestingSetup, _ test: @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
        try await test(RouterClient(responder: try await responder, logger: logger))
    }
}

/// Builds a `Request` (host `localhost`, the body in one buffer), asks the responder, and
/// collects the body and trailers it writes. A thrown error is a 500, as in a live server
/// without an error middleware.
private struct RouterClient<Responder: HTTPResponder>: TestClientProtocol
where Responder.Context: InitializableFromSource<ApplicationRequestContextSource> {
    let responder: Responder
    let logger: Logger

    func executeRequest(uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?) async throws -> TestResponse {
        var headers = headers
        if let body { headers[.contentLength] = String(body.readableBytes) }
        let request = Request(
            head: HTTPRequest(method: method, scheme: "http", authority: "localhost", path: uri, headerFields: headers),
            body: RequestBody(buffer: body ?? ByteBuffer())
        )
        let context = Responder.Context(source: ApplicationRequestContextSource(channel: NIOAsyncTestingChannel(), logger: logger))
        let response: Response
        do {
            response = try await responder.respond(to: request, context: context)
        } catch {
            response = Response(status: .internalServerError)
        }
        let writer = CollectingWriter()
        try await response.body.write(writer)
        return writer.values.withLockedValue { TestResponse(head: response.head, body: $0.body, trailerHeaders: $0.trailers) }
    }
}

/// Keeps what a response body writes.
private struct CollectingWriter: ResponseBodyWriter {
    let values = NIOLockedValueBox<(body: ByteBuffer, trailers: HTTPFields?)>((ByteBuffer(), nil))

    func write(_ buffer: ByteBuffer) async throws {
        values.withLockedValue { _ = $0.body.writeImmutableBuffer(buffer) }
    }

    func finish(_ trailers: HTTPFields?) async throws {
        values.withLockedValue { $0.trailers = trailers }
    }
}
