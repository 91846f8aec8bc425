import CheckoutCore
import GRDB

/// Decides, reading only, whether an existing database file is one this program
/// wrote: its pages sound, its tables ours with our columns, its values of the types
/// and ranges we write. Anything else is moved aside rather than altered.
enum SQLiteSchemaCheck {
    /// Our tables and the columns each must have.
    static let tables: [String: [String]] = [
        "sessions": ["key", "payment_intent_id", "status", "created_at", "last_validated_at", "seq"],
        "payment_intents": ["id", "session_key", "amount", "currency", "status", "client_secret", "updated_at", "seq"],
        "counters": ["id", "sessions", "payment_intents", "paid"],
        "journal": ["seq", "at", "kind", "method", "detail"],
        "armed_rules": ["id", "queue"],
        "journal_emptied": ["id", "last_seq"],
        "journal_pruned": ["id", "last_seq", "count"],
        "clock": ["id", "offset_millis"],
    ]

    /// Rows that break what we write, table by table (NULLs, wrong types, times and counts out of range).
    static let valueChecks: [(table: String, condition: String)] = {
        let time = "BETWEEN 0 AND \(SQLiteBackendStore.maxMillis)"
        let count = "BETWEEN 0 AND 1000000000000000"
        return [
            ("counters", """
                typeof(sessions) <> 'integer' OR typeof(payment_intents) <> 'integer' OR typeof(paid) <> 'integer'
                OR sessions NOT \(count) OR payment_intents NOT \(count) OR paid NOT \(count)
                """),
            ("armed_rules", "typeof(queue) <> 'text'"),
            ("journal_emptied", "typeof(last_seq) <> 'integer' OR last_seq < 0"),
            ("journal_pruned", "typeof(last_seq) <> 'integer' OR typeof(count) <> 'integer' OR last_seq < 0 OR count NOT \(count)"),
            ("clock", "typeof(offset_millis) <> 'integer' OR offset_millis NOT \(time)"),
            ("sessions", """
                typeof(key) <> 'text' OR typeof(payment_intent_id) <> 'text' OR typeof(status) <> 'text'
                OR typeof(created_at) <> 'integer' OR typeof(last_validated_at) <> 'integer' OR typeof(seq) <> 'integer'
                OR created_at NOT \(time) OR last_validated_at NOT \(time)
                """),
            ("payment_intents", """
                typeof(id) <> 'text' OR typeof(session_key) <> 'text' OR typeof(amount) <> 'integer'
                OR typeof(currency) <> 'text' OR typeof(status) <> 'text' OR typeof(client_secret) <> 'text'
                OR typeof(updated_at) <> 'integer' OR typeof(seq) <> 'integer' OR updated_at NOT \(time)
                OR amount NOT BETWEEN -\(Int64(1) << 53) AND \(Int64(1) << 53)
                """),
        ]
    }()

    /// Why the database is not ours, or `nil` when it is (an empty database is).
    static func problem(in db: Database) throws -> String? {
        let check = try String.fetchAll(db, sql: "PRAGMA quick_check")
        if check != ["ok"] {
            return "corrupt (\(UntrustedText.escapedList(check.prefix(2))))"
        }
        let objects = try Row.fetchAll(db, sql: "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
        var found: Set<String> = []
        var foreign: [String] = []
        for row in objects {
            let type: String = try row.decode(forColumn: "type")
            let name: String = try row.decode(forColumn: "name")
            switch type {
            case "table" where tables[name] != nil: found.insert(name)
            case "index": continue
            default: foreign.append("\(type) \(name)")
            }
        }
        if !foreign.isEmpty {
            return "a database of another program (\(UntrustedText.escapedList(foreign.sorted().prefix(3))))"
        }
        for table in found.sorted() {
            let columns = Set(try Row.fetchAll(db, sql: "PRAGMA table_info(\(table))").map { row -> String in try row.decode(forColumn: "name") })
            if let missing = tables[table]?.first(where: { !columns.contains($0) }) {
                return "not a checkout-sim database (table \(table) has no column \(missing))"
            }
        }
        for (table, condition) in valueChecks where found.contains(table) {
            if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM \(table) WHERE \(condition))") == true {
                return "holding values checkout-sim never writes (NULL, a wrong type or out of range in \(table))"
            }
        }
        return nil
    }
}

extension UntrustedText {
    /// Texts from a file, escaped and joined with commas.
    static func escapedList<S: Sequence<String>>(_ items: S) -> String {
        items.map { escaped($0, limit: 60) }.joined(separator: ", ")
    }
}
