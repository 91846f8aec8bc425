import Testing
@testable import WireLint

/// Each rule of the lint on hand-written journals: one clean case, one violation.
@Suite struct LintRuleTests {
    let done = JournalScript.alreadyCompleted

    @Test func rule1CleanWhenTheStoredKeyIsSent() {
        var script = JournalScript()
        script.validate(returns: "k1")
        script.validate(key: "k1", returns: "k1")
        script.validate(key: "k1", returns: "k1")
        #expect(script.report().verdicts == [])
    }

    @Test func rule1ForgettingTheKeyAfterSendingItOnce() {
        var script = JournalScript()
        script.validate(returns: "k1")
        let kept = script.validate(key: "k1", returns: "k1")
        let refresh = script.validate(returns: "k2")
        let verdicts = script.report().verdicts
        #expect(verdicts.map(\.rule) == [.sendStoredKey])
        #expect(verdicts.first?.requests == [kept, refresh])
        #expect(verdicts.first?.expected == "the stored key \"k1\"")
        #expect(verdicts.first?.message.contains("sent no key") == true)
    }

    @Test func rule1AnOlderKey() {
        var script = JournalScript()
        script.validate(returns: "k1")
        script.validate(key: "k1", returns: "k1")
        script.validate(key: "k1", error: done)
        script.validate(returns: "k2")
        script.validate(key: "k2", returns: "k2")
        let late = script.validate(key: "k1", returns: "k3")
        let verdicts = script.report().verdicts
        #expect(verdicts.map(\.rule) == [.sendStoredKey])
        #expect(verdicts.first?.requests.last == late)
        #expect(verdicts.first?.message.contains("older key") == true)
    }

    @Test func rule1KeyNotOwedAfterALostReply() {
        var script = JournalScript()
        script.validate(returns: "k1", lost: .responseLost, advance: 10_000)
        script.validate(returns: "k2", lost: .responseGarbled)
        script.validate(returns: "k3", lost: .connectionReset)
        script.validate(returns: "k4", latency: 3_000, deadline: 1_000, advance: 4_000)
        script.validate(returns: "k5")
        script.validate(key: "k5", returns: "k5")
        #expect(script.report().verdicts == [])
    }

    @Test func rule2CleanRotation() {
        var script = JournalScript()
        script.validate(returns: "k1")
        script.validate(key: "k1", returns: "k2")
        script.validate(key: "k2", returns: "k2")
        #expect(script.report().verdicts == [])
    }

    @Test func rule2IgnoredRotation() {
        var script = JournalScript()
        script.validate(returns: "k1")
        let rotation = script.validate(key: "k1", returns: "k2")
        let stale = script.validate(key: "k1", returns: "k3")
        let verdicts = script.report().verdicts
        #expect(verdicts.map(\.rule) == [.followRotation])
        #expect(verdicts.first?.requests == [rotation, stale])
        #expect(verdicts.first?.expected == "the new key \"k2\"")
    }

    @Test func rule3CleanRecovery() {
        var script = JournalScript()
        script.validate(returns: "k1")
        script.validate(key: "k1", error: done, advance: 5)
        script.validate(returns: "k2")
        script.validate(key: "k2", returns: "k2")
        #expect(script.report().verdicts == [])
    }

    @Test func rule3CleanWhenTheRetryFailsTooAndTheShopperComesBackLater() {
        var script = JournalScript()
        script.validate(returns: "k1")
        script.validate(key: "k1", error: done, advance: 5)
        script.validate(error: done, advance: 30_000)
        script.validate(returns: "k2")
        #expect(script.report().verdicts == [])
    }

    @Test func rule3NoRetry() {
        var script = JournalScript()
        script.validate(returns: "k1")
        let error = script.validate(key: "k1", error: done, advance: 5)
        #expect(script.report(at: script.now + 100).verdicts == [], "still inside the retry window")
        let verdicts = script.report(at: script.now + 5_000).verdicts
        #expect(verdicts.map(\.rule) == [.retryOnceAfterCompleted])
        #expect(verdicts.first?.requests == [error])
        #expect(verdicts.first?.message.contains("no retry") == true)
    }

    @Test func rule3RetryWithTheOldKey() {
        var script = JournalScript()
        script.validate(returns: "k1")
        script.validate(key: "k1", error: done, advance: 5)
        script.validate(key: "k1", error: done, advance: 5)
        let verdicts = script.report().verdicts
        #expect(verdicts.map(\.rule) == [.retryOnceAfterCompleted])
        #expect(verdicts.first?.expected.contains("clear the stored key") == true)
    }

    @Test func rule3RetryLoopIsOneVerdict() {
        var script = JournalScript()
        script.validate(returns: "k1")
        let first = script.validate(key: "k1", error: done, advance: 5)
        for _ in 0..<4 { script.validate(error: done, advance: 5) }
        let verdicts = script.report().verdicts
        #expect(verdicts.map(\.rule) == [.retryOnceAfterCompleted])
        #expect(verdicts.first?.requests.first == first)
        #expect(verdicts.first?.requests.count == 5)
        #expect(verdicts.first?.message.contains("kept retrying") == true)
    }

    @Test func rule4CleanAfterDirectPaymentAnd3DSecure() {
        var script = JournalScript()
        script.validate(returns: "k1")
        script.pay(intent: "pi_k1")
        script.validate(returns: "k2")
        script.pay(intent: "pi_k2", status: "REQUIRES_ACTION")
        script.completeRedirect(intent: "pi_k2", redirectStatus: "succeeded")
        script.validate(returns: "k3")
        #expect(script.report().verdicts == [])
    }

    @Test func rule4KeyKeptAfterPayment() {
        var script = JournalScript()
        script.validate(returns: "k1")
        let payment = script.pay(intent: "pi_k1")
        let next = script.validate(key: "k1", error: done, advance: 5)
        script.validate(returns: "k2")
        let verdicts = script.report().verdicts
        #expect(verdicts.map(\.rule) == [.noKeyAfterPayment])
        #expect(verdicts.first?.requests == [payment, next])
    }

    @Test func rule4KeyKeptAfter3DSecureSucceeded() {
        var script = JournalScript()
        script.validate(returns: "k1")
        let back = script.completeRedirect(intent: "pi_k1", redirectStatus: "succeeded")
        let next = script.validate(key: "k1", returns: "k2")
        #expect(script.report().verdicts.map(\.requests) == [[back, next]])
        #expect(script.report().verdicts.map(\.rule) == [.noKeyAfterPayment])
    }

    @Test func rule4KeyKeptAfter3DSecureFailedIsRight() {
        var script = JournalScript()
        script.validate(returns: "k1")
        script.completeRedirect(intent: "pi_k1", redirectStatus: "failed")
        script.validate(key: "k1", returns: "k1")
        #expect(script.report().verdicts == [])
    }

    @Test func rule5LegacyClientIsOneVerdictWithItsDuplicates() {
        var script = JournalScript()
        let numbers = [script.validate(returns: "k1"), script.validate(returns: "k2"), script.validate(returns: "k3")]
        script.pay(intent: "pi_k3")
        let verdicts = script.report().verdicts
        #expect(verdicts.map(\.rule) == [.legacyClient])
        #expect(verdicts.first?.requests == numbers)
        #expect(verdicts.first?.message.contains("2 duplicate PaymentIntents left unpaid: pi_k1, pi_k2") == true)
    }

    @Test func rule5OneValidationIsNotLegacyYet() {
        var script = JournalScript()
        script.validate(returns: "k1")
        script.pay(intent: "pi_k1")
        script.validate(returns: "k2")
        #expect(script.report().verdicts == [])
    }

    @Test func rule6KeyTooLongAndUnknownKey() {
        var script = JournalScript()
        script.validate(returns: "k1")
        let long = script.validate(key: String(repeating: "x", count: 256), returns: "k2")
        let forged = script.validate(key: "made-up", returns: "k3")
        let verdicts = script.report().verdicts
        #expect(verdicts.map(\.rule) == [.keyTooLong, .unknownKey])
        #expect(verdicts.map(\.requests) == [[long], [forged]])
        #expect(verdicts[0].message == "sent a key of 256 characters")
    }

    @Test func rule6CleanWithIssuedKeysOnly() {
        var script = JournalScript()
        script.validate(returns: String(repeating: "k", count: 255))
        script.validate(key: String(repeating: "k", count: 255), returns: String(repeating: "k", count: 255))
        #expect(script.report().verdicts == [])
    }

    @Test func rule7DoubleSubmit() {
        var script = JournalScript()
        let first = script.validate(returns: "k1", latency: 2_000, advance: 100)
        let second = script.validate(returns: "k2", advance: 3_000)
        let verdicts = script.report().verdicts
        #expect(verdicts.map(\.rule) == [.doubleSubmit])
        #expect(verdicts.first?.requests == [first, second])
    }

    @Test func rule7OneAtATimeIsClean() {
        var script = JournalScript()
        script.validate(returns: "k1", latency: 2_000, advance: 2_500)
        script.validate(key: "k1", returns: "k1")
        #expect(script.report().verdicts == [])
    }

    @Test func rule7AHeldRequestIsInFlightUntilTheDeadline() {
        var script = JournalScript()
        let held = script.held(advance: 100)
        let second = script.validate(returns: "k1")
        #expect(script.report().verdicts.map(\.requests) == [[held, second]])
    }

    @Test func clientsAreJudgedApart() {
        var script = JournalScript()
        script.validate("a", returns: "ka")
        script.validate("b", returns: "kb")
        script.validate("a", key: "ka", returns: "ka")
        script.validate("b", key: "kb", returns: "kb")
        let report = script.report()
        #expect(report.verdicts == [])
        #expect(report.clients.map(\.client) == ["a", "b"])
        #expect(report.clients.map(\.expectedNext) == ["ka", "kb"])
    }

    @Test func aCookieSetByAResponseCountsOnlyIfItComesBack() {
        var script = JournalScript()
        // A browser: its first request had no cookie; the response set "b1", which it sends back.
        script.validate("b1", returns: "k1", newClient: true)
        script.validate("b1", key: "k1", returns: "k1")
        // curl without a cookie jar: every request gets a new cookie, never sent back: one client.
        script.validate("c1", returns: "k2", newClient: true)
        script.validate("c2", key: "k2", returns: "k2", newClient: true)
        let report = script.report()
        #expect(report.verdicts == [])
        #expect(report.clients.map(\.client) == ["b1", ""])
    }

    @Test func theSimulatedShopperIsAClientOfItsOwn() {
        var script = JournalScript()
        script.validate(nil, returns: "k1")
        script.validate("browser", returns: "k2")
        script.validate(nil, key: "k1", returns: "k1")
        let report = script.report()
        #expect(report.verdicts == [])
        #expect(report.clients.map(\.client) == [WireExchange.simulatedClient, "browser"])
    }

    @Test func aNonCardOrderMayClearTheKeyWithoutAPayment() {
        var script = JournalScript()
        script.validate(returns: "k1")
        script.validate(key: "k1", method: "CASH_ON_DELIVERY", returns: "k1")
        script.validate(returns: "k2")
        #expect(script.report().verdicts == [])
    }

    @Test func theKeyPanelShowsIssuedExpectedAndSent() {
        var script = JournalScript()
        script.validate(returns: "k1")
        script.validate(key: "k1", returns: "k2")
        let keys = script.report().clients.first
        #expect(keys?.issued == "k2")
        #expect(keys?.expectedNext == "k2")
        #expect(keys?.lastSent == "k1")
        #expect(keys?.validations == 2)
        #expect(keys?.userAgent == "test-agent")
    }

    @Test func aHeldRequestEndsAtTheClientsDeadlineNotAfterItsLatency() {
        var script = JournalScript()
        script.validate(returns: "k1", latency: 15_000, lost: .responseLost, advance: 12_000)
        script.validate(returns: "k2")
        #expect(script.report().verdicts == [], "the client gave up at 10 s; a click at 12 s is no double submit")
    }

    @Test func anyWordingOfAlreadyCompletedStartsTheRecovery() {
        var script = JournalScript()
        script.validate(returns: "k1")
        script.validate(key: "k1", error: "payment already completed", code: "internal", advance: 5)
        script.validate(returns: "k2")
        #expect(script.report().verdicts == [])
    }

    @Test func hostileNumbersInTheJournalDoNotTrap() {
        var script = JournalScript()
        script.validate(returns: "k1", deadline: Int64.max, advance: 0)
        script.validate(key: "k1", returns: "k1", latency: Int64.max / 2)
        var linter = WireLinter()
        linter.read(script.entries.map { entry in
            var entry = entry
            if entry.sequence == 1 { entry.atMillis = Int64.min }
            return entry
        })
        _ = linter.report(nowMillis: Int64.max)
    }

    @Test func aKeyOnlyASessionLineNamesWasIssued() {
        // The response line is gone (an in-memory journal drops its oldest lines); the session line is left.
        var script = JournalScript()
        script.session(.created(key: "k9", reason: .noKey))
        script.validate(key: "k9", returns: "k10")
        #expect(script.report().verdicts == [])
    }
}
