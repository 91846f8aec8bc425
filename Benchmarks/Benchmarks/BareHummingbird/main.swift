import Foundation
import Hummingbird

// The baseline of scripts/bench-serve.sh: Hummingbird alone, answering every POST
// with a fixed body of the size of a validation reply. What `checkout-sim serve`
// adds on top (decoding, the backend, SQLite, the journal, the request log) is
// the difference between the two.
// Usage: bare-hummingbird [PORT]   (0 or none: a free port; the first line says which)

let port = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 0
let reply = ByteBuffer(string: #"{"items":[{"sku":"BEANS-1KG","name":"House beans 1 kg","quantity":1,"unitPriceCents":"1850","lineTotalCents":"1850"}],"subtotalCents":"1850","shippingCents":"490","totalCents":"2340","currency":"EUR","paymentMethod":"CARD","paymentIntentId":"pi_00000000000000000000000000","clientSecret":"pi_00000000000000000000000000_secret_000000000000000000000000","idempotencyKey":"00000000-0000-4000-8000-000000000000"}"#)

let router = Router()
router.post("**") { request, context in
    _ = try await request.body.collect(upTo: 1 << 20)
    return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: reply))
}
let app = Application(
    router: router,
    configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: port), serverName: nil),
    onServerRunning: { channel in
        print("listening on http://127.0.0.1:\(channel.localAddress?.port ?? port)")
        fflush(stdout)
    })
try await app.runService()
