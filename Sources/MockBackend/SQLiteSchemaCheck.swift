import CheckoutCore
import GRDB

/// Decides, reading only, whether an existing database file is one this program
/// wrote: its pages sound, its tables and columns those `SQLiteSchema`'s migrations make,
/// its values of the types they declare and the ranges we write. Anything else is moved
/// aside rather than altered.
enum SQLiteSchemaCheck {
    /// The ranges of the values we write, by table and column (`column NOT range` is a
    /// value we never write); their types come from the schema.
    static let ranges: [String: [String: String]] = {
        let time = "BETWEEN 0 AND \(SQLiteBackendStore.maxMillis)"
        let count = "BETWEEN 0 AND 1000000000000000"
        let sequence = "BETWEEN 0 AND \(Int64.max)"
        return [
            "sessions": ["created_at": time, "last_validated_at": time],
            "payment_intents": ["updated_at": time, "amount": "BETWEEN -\(Int64(1) << 53) AND \(Int64(1) << 53)"],
            "counters": ["sessions": count, "payment_intents": count, "paid": count],
            "journal_emptied": ["last_seq": sequence],
            "journal_pruned": ["last_seq": sequence, "count": count],
            "clock": ["offset_millis": time],
        ]
    }()

    /// Tables whose values are not checked here: the journal's lines are read strictly one
    /// by one instead (checking them all would read the whole journal at every start).
    static let readStrictly: Set<String> = ["journal"]

    /// Why the database is not ours, or `nil` when it is (an empty database is). A
    /// database written by a newer checkout-sim is not judged here (`SQLiteSchema.unknownMigrations`).
    static func problem(in db: Database) throws -> String? {
        let check = try String.fetchAll(db, sql: "PRAGMA quick_check")
        if check != ["ok"] {
            return "corrupt (\(UntrustedText.escapedList(check.prefix(2))))"
        }
        // Compared with what the migrations it records made (a file that records none may
        // be one written before they were recorded, and lack the later tables).
        let recorded = (try? SQLiteSchema.migrator.appliedMigrations(db)) ?? []
        let expected = try SQLiteSchema.tables(through: recorded.last ?? SQLiteSchema.lastUnrecorded)
        let objects = try Row.fetchAll(db, sql: "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
        var found: Set<String> = []
        var foreign: [String] = []
        for row in objects {
            let type: String = try row.decode(forColumn: "type")
            let name: String = try row.decode(forColumn: "name")
            switch type {
            case "table" where expected[name] != nil: found.insert(name)
            case "index": continue
            default: foreign.append("\(type) \(name)")
            }
        }
        if !foreign.isEmpty {
            return "a database of another program (\(UntrustedText.escapedList(foreign.sorted().prefix(3))))"
        }
        if !recorded.isEmpty, let missing = expected.keys.sorted().first(where: { !found.contains($0) }) {
            return "not a checkout-sim database (it has no table \(missing))"
        }
        for table in found.sorted() {
            let columns = Set(try db.columns(in: table).map(\.name))
            if let missing = expected[table]?.first(where: { !columns.contains($0.name) }) {
                return "not a checkout-sim database (table \(table) has no column \(missing.name))"
            }
        }
        for table in found.sorted() where !readStrictly.contains(table) {
            guard let condition = valueCondition(table, expected[table] ?? []) else { continue }
            if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM \(table) WHERE \(condition))") == true {
                return "holding values checkout-sim never writes (NULL, a wrong type or out of range in \(table))"
            }
        }
        return nil
    }

    /// What a row of `table` we never write matches: a NULL or a value of another type than
    /// its column declares, or one out of its range.
    static func valueCondition(_ table: String, _ columns: [SQLiteSchema.Column]) -> String? {
        var conditions = columns.compactMap { column in
            storageClass[column.type].map { "typeof(\(column.name)) <> '\($0)'" }
        }
        conditions += (ranges[table] ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key) NOT \($0.value)" }
        return conditions.isEmpty ? nil : conditions.joined(separator: " OR ")
    }

    /// What `typeof` says of a value of each declared type we use.
    private static let storageClass = ["INTEGER": "integer", "TEXT": "text"]
}

extension UntrustedText {
    /// Texts from a file, escaped and joined with commas.
    static func escapedList<S: Sequence<String>>(_ items: S) -> String {
        items.map { escaped($0, limit: 60) }.joined(separator: ", ")
    }
}
