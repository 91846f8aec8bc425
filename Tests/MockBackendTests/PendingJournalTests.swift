import Foundation
import GRDB
import Testing
@testable import MockBackend
import TestSupport

/// A transaction's journal lines are numbered at once and inserted together before it
/// commits: the numbers and the lines read back must be what one insert per line gave.
@Suite("SQLite journal: the lines of a transaction inserted at its commit")
struct PendingJournalTests {
    private let temporary = TemporaryDirectory("checkout-sim-journal")

    private func store() throws -> (SQLiteBackendStore, URL) {
        let url = temporary.folder()
        return (try SQLiteBackendStore(directory: url), url)
    }

    private func line(_ detail: String, at millis: Int64 = 1) -> JournalEntry {
        JournalEntry(atMillis: millis, kind: .arrival, method: "m", detail: detail)
    }

    @Test("numbers go on from the lines before; 100 lines in one transaction come back in order with their numbers",
          arguments: [1, 31, 32, 33, 100])
    func numbersAndOrder(count: Int) throws {
        let (store, _) = try store()
        #expect(try store.appendJournal(line("outside")) == 1)
        let numbers = try store.transaction {
            try (0..<count).map { try store.appendJournal(line("line \($0)", at: Int64($0))) }
        }
        #expect(numbers == Array(2...Int64(count + 1)))
        let read = try store.journal(after: 1, limit: 1_000)
        #expect(read.map(\.sequence) == numbers)
        #expect(read.map(\.text) == (0..<count).map { "line \($0)" })
        #expect(read.map(\.atMillis) == (0..<count).map { Int64($0) })
        #expect(try store.appendJournal(line("after")) == Int64(count + 2))
    }

    @Test("two stores on one directory number on from each other's lines, in and out of transactions")
    func twoStores() throws {
        let (first, url) = try store()
        let second = try SQLiteBackendStore(directory: url)
        #expect(try first.transaction { try first.appendJournal(line("a")) } == 1)
        #expect(try second.transaction { try second.appendJournal(line("b")) } == 2)
        #expect(try first.transaction { try first.appendJournal(line("c")) } == 3)
        #expect(try first.appendJournal(line("d")) == 4)
        #expect(try second.appendJournal(line("e")) == 5)
        #expect(try first.transaction { try first.appendJournal(line("f")) } == 6)
        #expect(try second.journal(after: 0, limit: 10).map(\.text) == ["a", "b", "c", "d", "e", "f"])
    }

    @Test("a read inside the transaction sees its own lines")
    func readsInside() throws {
        let (store, _) = try store()
        try store.transaction {
            try store.appendJournal(line("a"))
            try store.appendJournal(line("b"))
            #expect(try store.journalCount() == 2)
            #expect(try store.journal(after: 0, limit: 10).map(\.text) == ["a", "b"])
            try store.appendJournal(line("c"))
        }
        #expect(try store.journal(after: 0, limit: 10).map(\.text) == ["a", "b", "c"])
    }

    @Test("a failed transaction leaves no line, and its numbers are given again")
    func rollback() throws {
        struct Boom: Error {}
        let (store, _) = try store()
        #expect(throws: Boom.self) {
            try store.transaction {
                try store.appendJournal(line("lost"))
                throw Boom()
            }
        }
        #expect(try store.journalCount() == 0)
        #expect(try store.transaction { try store.appendJournal(line("kept")) } == 1)
    }

    @Test("a savepoint's failure drops the lines it added, even those a read inside it had inserted")
    func savepointRollback() throws {
        struct Boom: Error {}
        let (store, _) = try store()
        try store.transaction {
            try store.appendJournal(line("before"))
            #expect(throws: Boom.self) {
                try store.transaction {
                    try store.appendJournal(line("inside"))
                    #expect(try store.journalCount() == 2)
                    try store.appendJournal(line("inside, not read"))
                    throw Boom()
                }
            }
            #expect(try store.appendJournal(line("after")) == 2)
        }
        #expect(try store.journal(after: 0, limit: 10).map(\.text) == ["before", "after"])
    }

    @Test("numbers of removed lines are not given again, inside a transaction or not, nor by a store opened afterwards")
    func noReuseAfterReset() throws {
        let (store, url) = try store()
        try store.transaction { for index in 0..<3 { try store.appendJournal(line("\(index)")) } }
        try store.transaction { try store.removeEverything() }
        #expect(try store.transaction { try store.appendJournal(line("next")) } == 4)
        try store.transaction { try store.removeEverything() }
        #expect(try store.appendJournal(line("outside")) == 5)
        try store.removeEverything()
        let reopened = try SQLiteBackendStore(directory: url)
        #expect(try reopened.appendJournal(line("reopened")) == 6)
        #expect(try reopened.journal(after: 0, limit: 10).map(\.text) == ["reopened"])
    }

    @Test("a journal made by an earlier version (with AUTOINCREMENT) numbers on from its counter after a reset")
    func earlierSchema() throws {
        let url = temporary.folder()
        let database = try DatabaseQueue(path: url.appendingPathComponent(SQLiteBackendStore.fileName).path)
        try database.write { db in
            try db.execute(sql: """
                CREATE TABLE journal (seq INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, kind TEXT NOT NULL,
                  method TEXT NOT NULL, detail TEXT NOT NULL);
                INSERT INTO journal (at, kind, method, detail) VALUES (1, 'arrival', 'm', 'a'), (1, 'arrival', 'm', 'b');
                DELETE FROM journal WHERE seq = 2;
                """)
        }
        try database.close()
        let store = try SQLiteBackendStore(directory: url)
        #expect(try store.transaction { try store.appendJournal(line("c")) } == 3)
        try store.removeEverything()
        #expect(try store.appendJournal(line("d")) == 4)
        #expect(try store.journal(after: 0, limit: 10).map(\.text) == ["d"])
    }

    @Test("a counter at the largest number: an error, never a trap; the transaction stores nothing")
    func exhausted() throws {
        let (store, url) = try store()
        try store.appendJournal(line("first"))
        let database = try DatabaseQueue(path: url.appendingPathComponent(SQLiteBackendStore.fileName).path)
        try database.write { try $0.execute(sql: "INSERT INTO journal_emptied VALUES (1, \(Int64.max))") }
        try database.close()
        #expect(throws: BackendStoreError.self) {
            try store.transaction { try store.appendJournal(line("none left")) }
        }
        #expect(throws: BackendStoreError.self) { try store.appendJournal(line("none left, outside")) }
        #expect(try store.journal(after: 0, limit: 10).map(\.text) == ["first"])
    }
}
