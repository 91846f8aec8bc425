import CheckoutCore
import CheckoutProto
import Foundation
import GRDB
import MockBackend
import Simulation
import Testing
@testable import TerminalUI
import TestSupport

/// A few hundred hostile state directories: each one reaches a working first frame or a
/// clear refusal, and nothing outside the state directory changes.
@Suite("State-file fuzz")
struct StateFuzzTests {
    /// A small deterministic generator, so a failing case can be replayed by its number.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }
        mutating func bytes(_ count: Int) -> Data { Data((0..<count).map { _ in UInt8(truncatingIfNeeded: next()) }) }
    }

    static let hostileNumbers = ["9223372036854775807", "-9223372036854775808", "1e308", "-1", "0", "NaN", "null",
                                 "\"12\"", "[]", "{}", "true", "99999999999999999999999", "4294967296", "-0.5"]
    static let hostileStrings = ["", "\u{1B}]0;PWNED\u{07}", "\u{202E}abc", "\u{200B}", String(repeating: "k", count: 100_000),
                                 "\u{FFFF}", "\\u0000", "日本語", "tampered-1", "\u{9B}31m"]
    static let hostileSQLValues = ["NULL", "'text'", "x'00ff'", "1.5", "9223372036854775807", "-9223372036854775808",
                                   "-1", "0", "1e300", "''"]

    /// A hostile localStorage.json.
    static func localStorage(_ g: inout Generator) -> Data {
        func json(_ text: String) -> String { String(data: try! JSONEncoder().encode(text), encoding: .utf8)! }
        switch g.next() % 7 {
        case 0: return g.bytes(Int(g.next() % 300))
        case 1:
            let qty = g.pick(hostileNumbers)
            let cart = "[{\"sku\":\(json(g.pick(["MUG", "", "NOPE", "\u{1B}[2J"]))),\"qty\":\(qty)}]"
            return Data("{\"checkout-cart\": \(json(cart))}".utf8)
        case 2: return Data("{\"checkout-idempotency-key\": \(g.pick(hostileNumbers))}".utf8)
        case 3: return Data("{\"checkout-idempotency-key\": \(json(g.pick(hostileStrings)))}".utf8)
        case 4:
            let form = g.pick(["{\"email\": 5}", "[1]", "{\"email\":\"\u{1B}[31m\",\"name\":\"x\"}", "\"\""])
            return Data("{\"checkout-form\": \(json(form)), \"checkout-payment-method\": \(json(g.pick(hostileStrings)))}".utf8)
        case 5: return Data("{\"checkout-cart\": \(json(g.pick(["[", "[{}]", "[{\"sku\":1}]", "[{\"sku\":\"MUG\"}]", "{}"])))}".utf8)
        default: return Data(String(repeating: "{\"a\":", count: Int(g.next() % 2000)).utf8)
        }
    }

    /// A hostile backend.sqlite, written into `dir`.
    static func backend(_ g: inout Generator, into dir: URL) throws {
        let path = dir.appendingPathComponent("backend.sqlite").path
        switch g.next() % 5 {
        case 0:
            try g.bytes(Int(g.next() % 8192)).write(to: URL(fileURLWithPath: path))
        case 1, 2:
            // Our own database, then one hostile value in one column.
            let store = try SQLiteBackendStore(directory: dir)
            let backend = MockBackend(store: store, seed: g.next())
            _ = backend.handle(.validateOrderItemsInsert, Self.request(), nowMillis: VirtualClock.defaultStartMillis)
            let (table, column) = g.pick([("counters", "sessions"), ("counters", "paid"), ("sessions", "created_at"),
                                          ("sessions", "last_validated_at"), ("sessions", "status"), ("sessions", "key"),
                                          ("payment_intents", "amount"), ("payment_intents", "updated_at"),
                                          ("payment_intents", "status"), ("journal", "detail"), ("journal", "at")])
            let queue = try DatabaseQueue(path: path)
            let value = g.pick(hostileSQLValues)
            try queue.write { db in
                // Rebuild the table without constraints so that any value fits, as another program could.
                try db.execute(sql: "CREATE TABLE loose AS SELECT * FROM \(table)")
                try db.execute(sql: "DROP TABLE \(table)")
                try db.execute(sql: "ALTER TABLE loose RENAME TO \(table)")
                try db.execute(sql: "UPDATE \(table) SET \(column) = \(value)")
            }
            try queue.close()
        case 3:
            let queue = try DatabaseQueue(path: path)
            try queue.write { db in
                try db.execute(sql: g.pick(["CREATE TABLE foo(x)", "CREATE TABLE counters(a)", "CREATE VIEW v AS SELECT 1",
                                            "CREATE TABLE sessions(key); CREATE TRIGGER t AFTER INSERT ON sessions BEGIN SELECT 1; END"]))
            }
            try queue.close()
        default:
            // Our own database, cut short or with bytes flipped.
            let store = try SQLiteBackendStore(directory: dir)
            let backend = MockBackend(store: store, seed: 1)
            for _ in 0..<20 { _ = backend.handle(.validateOrderItemsInsert, Self.request(), nowMillis: VirtualClock.defaultStartMillis) }
            _ = try store.counters()
            var data = try Data(contentsOf: URL(fileURLWithPath: path))
            for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            if g.next() % 2 == 0 {
                data = data.prefix(Int(g.next() % UInt64(max(data.count, 1))))
            } else {
                for _ in 0..<8 { let i = Int(g.next() % UInt64(data.count)); data[i] = UInt8(truncatingIfNeeded: g.next()) }
            }
            try data.write(to: URL(fileURLWithPath: path))
        }
    }

    static func request() -> Data {
        var request = Checkout_V1_ValidateOrderItemsInsertRequest()
        var item = Checkout_V1_OrderItem()
        item.sku = "MUG"
        item.quantity = 1
        request.items = [item]
        request.paymentMethod = .card
        return try! request.serializedData()
    }

    /// Every file under `url` with its contents, to see that nothing changed.
    static func snapshot(_ url: URL) -> [String: Data] {
        var files: [String: Data] = [:]
        for name in (FileManager.default.enumerator(atPath: url.path)?.allObjects as? [String]) ?? [] {
            files[name] = FileManager.default.contents(atPath: url.appendingPathComponent(name).path) ?? Data()
        }
        return files
    }

    @Test("300 hostile state directories: a first frame or a clear refusal, and nothing outside changes")
    func fuzz() throws {
        let temporary = TemporaryDirectory("cs-fuzz")
        defer { temporary.remove() }
        let root = temporary.url
        let outside = root.appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try Data("sentinel".utf8).write(to: outside.appendingPathComponent("sentinel.txt"))
        let before = Self.snapshot(outside)
        var refused = 0, setAside = 0
        for number in 0..<300 {
            var g = Generator(state: UInt64(number))
            let dir = root.appendingPathComponent("case-\(number)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            switch g.next() % 4 {
            case 0: try Self.localStorage(&g).write(to: dir.appendingPathComponent("localStorage.json"))
            case 1: try Self.backend(&g, into: dir)
            case 2:
                try Self.localStorage(&g).write(to: dir.appendingPathComponent("localStorage.json"))
                try Self.backend(&g, into: dir)
            default:
                let name = g.pick(["localStorage.json", "localStorage.json.lock", "backend.sqlite", "backend.sqlite-wal"])
                try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent(name).path,
                                                           withDestinationPath: outside.appendingPathComponent(g.pick(["sentinel.txt", "new-\(number)"])).path)
            }
            let simulation: Simulation
            do {
                simulation = try Simulation(stateDirectory: dir, configuration: SimulationConfiguration(seed: 1), clock: VirtualClock(),
                                            databaseWait: 0.05)
            } catch let error as StateFileError {
                #expect(error.description.contains("symbolic link") || error.description.contains("not a file"), "case \(number): \(error)")
                refused += 1
                continue
            }
            let model = AppModel(simulation: simulation, stateLabel: "fuzz", deferBackend: true)
            _ = View.render(model, width: 120, height: 40)
            model.tick()
            for key in chars("aac") { model.handle(key); model.simulation.runUntilIdle(); model.tick() }
            let screen = View.render(model, width: 120, height: 40).lines.joined(separator: "\n")
            #expect(screen.contains("Timeline"), "case \(number): no frame")
            #expect(model.backendView.unavailable == nil, "case \(number): backend unusable: \(model.backendView.unavailable ?? "")")
            if try FileManager.default.contentsOfDirectory(atPath: dir.path).contains(where: { $0.contains(".corrupt-") }) {
                setAside += 1
                #expect(model.simulation.messages.contains { $0.text.contains("moved aside") }, "case \(number): moved aside without a notice")
            }
        }
        #expect(Self.snapshot(outside) == before, "something outside the state directories changed")
        #expect(refused > 20 && setAside > 50, "the generator should reach both refusals (\(refused)) and set-asides (\(setAside))")
    }
}
