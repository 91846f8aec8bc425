import Foundation
import Testing
@testable import WireLint

/// One bug is one verdict, with how many times and the first and last request; a client
/// with thousands of requests in flight costs the lint their number, not its square.
@Suite struct GroupedVerdictTests {
    let done = JournalScript.alreadyCompleted

    @Test func aBurstOfDoubleSubmitsIsOneVerdict() {
        var script = JournalScript()
        let first = script.validate(returns: "k1", latency: 60_000, advance: 1)
        let second = script.validate(returns: "k2", latency: 60_000, advance: 1)
        var last = second
        for _ in 0..<2_998 { last = script.validate(returns: "k3", latency: 60_000, advance: 1) }
        let report = script.report(at: script.now + 120_000)
        #expect(report.verdicts.map(\.rule) == [.doubleSubmit])
        let verdict = report.verdicts[0]
        #expect(verdict.requests == [first, second])
        #expect(verdict.message == "validation #\(second) left while #\(first) was still in flight")
        #expect(verdict.count == 2_999)
        #expect(verdict.firstRequest == first && verdict.lastRequest == last)
        // Output that grows with the requests, not with their square (it was megabytes).
        #expect(report.text.utf8.count < 2_000, "\(report.text.utf8.count) bytes")
        #expect(report.text.contains("2999 times, #\(first) to #\(last)"))
    }

    @Test func aNewBurstAfterAQuietMomentIsAnotherVerdict() {
        var script = JournalScript()
        script.validate(returns: "k1", latency: 2_000, advance: 100)
        script.validate(returns: "k1", advance: 5_000)
        script.validate(key: "k1", returns: "k1", latency: 2_000, advance: 100)
        script.validate(key: "k1", returns: "k1", advance: 100)
        let verdicts = script.report().verdicts
        #expect(verdicts.map(\.rule) == [.doubleSubmit, .doubleSubmit])
        #expect(verdicts.map(\.count) == [1, 1])
    }

    @Test func aClientStuckOnAPaidKeyIsOneVerdictPerRule() {
        var script = JournalScript()
        script.validate(returns: "k1")
        let payment = script.pay(intent: "pi_k1")
        let firstAgain = script.validate(key: "k1", error: done, advance: 5)
        var last = firstAgain
        for _ in 0..<13 { last = script.validate(key: "k1", error: done, advance: 5) }
        let verdicts = script.report(at: script.now + 10).verdicts
        #expect(verdicts.map(\.rule) == [.noKeyAfterPayment, .retryOnceAfterCompleted])
        #expect(verdicts[0].requests == [payment, firstAgain])
        #expect(verdicts[0].count == 1)
        // Its first time's words, and how many times after.
        #expect(verdicts[1].message == "retried after \"Payment already completed\" (#\(firstAgain)) with \"k1\"")
        #expect(verdicts[1].count == 13)
        #expect(verdicts[1].firstRequest == firstAgain && verdicts[1].lastRequest == last)
    }

    @Test func theSameMissingKeyAgainIsOneVerdict() {
        var script = JournalScript()
        script.validate(returns: "k1")
        script.validate(key: "k1", returns: "k1")
        script.validate(returns: "k2")
        script.validate(returns: "k3")
        script.validate(key: "k3", returns: "k3")
        let verdicts = script.report().verdicts
        #expect(verdicts.map(\.rule) == [.sendStoredKey, .sendStoredKey])
        #expect(verdicts.map(\.count) == [1, 1], "different keys forgotten are different verdicts")
    }

    @Test func aLongRetryLoopCostsItsLength() {
        var script = JournalScript()
        script.validate(returns: "k1")
        let first = script.validate(key: "k1", error: done, advance: 5)
        for _ in 0..<20_000 { script.validate(error: done, advance: 5) }
        let verdicts = script.report().verdicts
        #expect(verdicts.map(\.rule) == [.retryOnceAfterCompleted])
        #expect(verdicts[0].requests.count == 20_001)
        #expect(verdicts[0].requests.first == first)
        #expect(verdicts[0].message.contains("20000 retries without a key in a row"))
    }

    @Test func theJSONCarriesTheGroupAndThePruning() throws {
        var report = LintReport(verdicts: [Verdict(rule: .doubleSubmit, client: "c", requests: [4, 5], message: "m", expected: "e", atMillis: 1)],
                                clients: [], journal: 90, pruned: .init(count: 30, through: 40))
        report.verdicts[0].repeated(in: [9])
        let json = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
        for field in [#""count":2"#, #""first":4"#, #""last":9"#, #""pruned":30"#, #""pruned_through":40"#] {
            #expect(json.contains(field), "\(json)")
        }
        #expect(try JSONDecoder().decode(LintReport.self, from: Data(json.utf8)) == report)
        #expect(report.text.contains("pruned its oldest 30 lines (up to #40)"))
    }
}
