import CheckoutCore
import Foundation
@testable import MockServer
import Testing

/// The web shop's JavaScript reads the client rules from the table each page embeds, written
/// from `ClientPolicy`: the two cannot differ, and the scripts hold no copy of their own.
struct WebShopPolicyTests {
    /// The content of `<meta name="checkout-sim-client-rules">` in `html`, with HTML entities decoded.
    static func embeddedRules(_ html: String) -> String? {
        guard let start = html.range(of: #"<meta name="checkout-sim-client-rules" content=""#),
              let end = html[start.upperBound...].firstIndex(of: "\"") else { return nil }
        return String(html[start.upperBound..<end]).replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
    }

    @Test("every page embeds the Swift table of client rules", arguments: ["/", "/bank/3ds", "/order/pi_1"])
    func pagesEmbedTheTable(page: String) async throws {
        try await TestServer().test { client in
            let html = Wire.text(try await client.execute(uri: page, method: .get))
            let rules = try #require(Self.embeddedRules(html), "\(page) has no client rules")
            #expect(rules == ClientPolicy.tableJSON)
            let table = try #require(JSONSerialization.jsonObject(with: Data(rules.utf8)) as? [String: Any])
            #expect((table["policies"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ClientPolicy.all.map(\.name))
        }
    }

    @Test("the scripts keep no copy of a client rule: timeout, PaymentIntent methods and retries come from the table")
    func noCopyInTheScripts() throws {
        let scripts = WebShop.sources.filter { $0.name.hasSuffix(".js") }.map(\.text).joined(separator: "\n")
        #expect(scripts.contains("checkout-sim-client-rules"))
        #expect(!scripts.contains("10000"), "a timeout written in the scripts")
        #expect(!scripts.contains(#"method === "CARD""#), "PaymentIntent methods written in the scripts")
        #expect(!scripts.contains("return attempt === 1"), "the seed's single retry written in the scripts")
        #expect(scripts.contains("policy.already_completed.retries"))
        for policy in ClientPolicy.all where policy != .standard {
            #expect(!scripts.contains("\"\(policy.name)\""), "\(policy.name) named in the scripts")
        }
    }

    @Test("the shop page has the client banner and the new-order button")
    func shopPage() async throws {
        try await TestServer().test { client in
            let html = Wire.text(try await client.execute(uri: "/?client=confirm-new-order", method: .get))
            #expect(html.contains(#"data-testid="client-banner""#))
            #expect(html.contains(#"data-testid="new-order""#))
        }
    }
}
