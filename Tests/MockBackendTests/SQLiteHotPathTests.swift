import GRDB
import Testing
@testable import MockBackend

struct SQLiteHotPathTests {
    @Test("a parameter a use leaves unset is NULL, never the last use's value")
    func unsetParametersAreNull() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            let hot = try SQLiteHotPath(db)
            let sql = "SELECT ?1, typeof(?2)"
            let read = { (row: SQLiteHotPath.Reader) in try row.text(1, "second") }
            #expect(try hot.rows(sql: sql, bind: { $0.bind(1); $0.bind("two") }, read) == ["text"])
            #expect(try hot.rows(sql: sql, bind: { $0.bind(1) }, read) == ["null"])
            #expect(try hot.rows(sql: sql, bind: { _ in }, read) == ["null"])
        }
    }

    @Test("text is bound whole, every byte, across blocks and larger than one; a statement run again reads its new text",
          arguments: [false, true])
    func textRoundTrip(kept: Bool) throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            let hot = try SQLiteHotPath(db, kept: kept)
            let large = String(repeating: "é\u{0}x", count: BoundText.blockSize)
            let values = ["", "a\u{0}b", large, "", String(repeating: "y", count: BoundText.blockSize - 1), "z", large + "!"]
                + (0..<40).map { String(repeating: "\($0 % 10)", count: 1_000 + $0) }
            let sql = "SELECT " + Array(repeating: "?", count: values.count).joined(separator: ", ")
            let read = { (row: SQLiteHotPath.Reader) in try (0..<Int32(values.count)).map { try row.text($0, "column") } }
            for round in 0..<3 {
                let these = values.map { $0 + String(round) }
                #expect(try hot.rows(sql: sql, bind: { binder in these.forEach { binder.bind($0) } }, read) == [these])
            }
            #expect(try hot.rows(sql: "SELECT ?, length(?)", bind: { $0.bind(""); $0.bind("") }, { try [$0.text(0, "a"), String($0.int64(1, "b"))] }) == [["", "0"]])
        }
    }
}
