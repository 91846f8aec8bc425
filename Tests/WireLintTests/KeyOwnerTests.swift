import Foundation
import Testing
@testable import WireLint

/// Rule 6c (a key issued to another client) and the legacy client as a warning.
struct KeyOwnerTests {
    @Test func aFirstValidationWithAnotherBrowsersKeyIsAViolation() throws {
        var script = JournalScript()
        let issued = script.validate("alice", returns: "k1")
        script.userAgent = "other-agent"
        let borrowed = script.validate("bob", key: "k1", returns: "k1")
        script.userAgent = "test-agent"
        script.validate("alice", key: "k1", returns: "k1")
        let report = script.report()
        let verdict = try #require(report.verdicts.first { $0.client == "bob" })
        #expect(report.verdicts.map(\.rule) == [.keyOfAnotherClient])
        #expect(verdict.requests == [issued, borrowed])
        #expect(verdict.message.hasPrefix("its first validation sent \"k1\", the key #\(issued) issued to client alice"), "\(verdict.message)")
        #expect(verdict.message.contains("share one session and PaymentIntent"))
        #expect(!verdict.message.contains("cookie was cleared"), "alice went on: not the same browser")
        #expect(verdict.expected == "no key on a first validation")
        #expect(!report.isClean)
    }

    /// A cleared cookie with localStorage kept looks the same: the verdict says so rather than stay silent.
    @Test func aClearedCookieIsNamedAsThePossibleCause() throws {
        var script = JournalScript()
        script.validate("alice", returns: "k1")
        script.validate("bob", key: "k1", returns: "k1")
        let verdict = try #require(script.report().verdicts.first)
        #expect(verdict.rule == .keyOfAnotherClient)
        #expect(verdict.message.contains("or the same browser after its cookie was cleared: same user agent, and client alice has sent nothing since"),
                "\(verdict.message)")
    }

    @Test func oneClientSendingItsOwnKeyIsClean() {
        var script = JournalScript()
        script.validate("alice", returns: "k1")
        script.validate("alice", key: "k1", returns: "k1")
        #expect(script.report().verdicts.isEmpty)
    }

    @Test func aLegacyClientIsAWarningNotAViolation() throws {
        var script = JournalScript()
        script.validate(returns: "k1")
        script.validate(returns: "k2")
        let report = script.report()
        #expect(report.verdicts.map(\.rule) == [.legacyClient])
        #expect(report.isClean && report.warnings == 1 && report.violations == 0)
        #expect(report.text.contains("! warning: rule 5 legacy-client"), "\(report.text)")
        #expect(report.text.contains("1 warning"), "\(report.text)")
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(report)) as? [String: Any]
        #expect(json?["clean"] as? Bool == true && json?["warnings"] as? Int == 1 && json?["violations"] as? Int == 0)
        #expect((json?["verdicts"] as? [[String: Any]])?.first?["severity"] as? String == "warning")
        let decoded = try JSONDecoder().decode(LintReport.self, from: JSONEncoder().encode(report))
        #expect(decoded == report)
    }
}

struct EmptyLintTests {
    @Test func noClientYetIsSaidAsSuch() {
        let report = JournalScript().report()
        #expect(report.text.hasSuffix("clean: no client has sent a validation yet (journal up to #0)"), "\(report.text)")
    }
}
