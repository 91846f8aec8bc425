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
}
