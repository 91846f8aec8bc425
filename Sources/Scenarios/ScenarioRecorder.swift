import CheckoutCore
import Foundation
import MockBackend
import Simulation

/// Turns an interactive exploration into a scenario file (format v1): the
/// setup at the start, every action and armed rule in order, and after each
/// action an `expect` of what was observed, with server keys as `$k1`, `$k2`.
public final class ScenarioRecorder {
    public let file: String
    private let simulation: Simulation
    private var lines: [String] = []
    /// The request count when the action awaiting its `expect` started.
    private var pendingSince: Int?
    private var variables: [String: String] = [:]
    /// Keys that came from the page itself (setup, tampering): written literally.
    private var literalKeys: Set<String> = []
    public private(set) var stepCount = 0

    /// Starts recording `simulation` as it is now.
    public init(simulation: Simulation, file: String) {
        self.simulation = simulation
        self.file = file
        lines = header()
    }

    /// Refuses a path that exists (never overwrite) or a folder that cannot be written.
    public static func checkWritable(_ path: String) throws {
        if FileManager.default.fileExists(atPath: path) {
            throw RecordingError("\(path) already exists; choose another name (recordings never overwrite a file)")
        }
        let directory = (path as NSString).deletingLastPathComponent
        let folder = directory.isEmpty ? "." : directory
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw RecordingError("\(folder) is not a folder")
        }
        guard FileManager.default.isWritableFile(atPath: folder) else {
            throw RecordingError("cannot write in \(folder)")
        }
    }

    // MARK: - Events

    /// The user is about to perform `action`.
    public func willPerform(_ action: ShopperAction) {
        flush()
        if case .setStoredKey(let key) = action { literalKeys.insert(key) }
        lines.append("  - do: \(Self.yaml(action))")
        stepCount += 1
        pendingSince = simulation.requestCount
    }

    /// The user is about to arm `rule`.
    public func willArm(_ rule: RuleKind, _ firing: RuleFiring) {
        flush()
        lines.append("  - backend: \(Self.yaml(rule, firing))")
        stepCount += 1
    }

    /// Writes the file (refusing to overwrite one that appeared meanwhile).
    public func write() throws {
        flush()
        let text = lines.joined(separator: "\n") + "\n"
        guard FileManager.default.createFile(atPath: file + ".partial", contents: Data(text.utf8)) else {
            throw RecordingError("cannot write \(file)")
        }
        do {
            try FileManager.default.moveItem(atPath: file + ".partial", toPath: file)
        } catch {
            try? FileManager.default.removeItem(atPath: file + ".partial")
            throw RecordingError("\(file) already exists or cannot be written; the recording is lost: \(error.localizedDescription)")
        }
    }

    /// The scenario text so far (for tests and previews).
    public var text: String {
        flush()
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: - Writing

    private func header() -> [String] {
        let client = simulation.client
        var out = [
            "name: \(Self.quote("Recorded exploration"))",
            "description: \(Self.quote("Recorded with checkout-sim; every action is followed by what was observed."))",
            "tags: [recorded]",
            "setup:",
            "  seed: \(simulation.backend.seedForReplay())",
            "  client: \(client.settings.variant.rawValue)",
            "  double_submit_guard: \(client.settings.doubleSubmitGuard)",
            "  payment_method: \(client.paymentMethod.rawValue)",
        ]
        out.append(client.cart.isEmpty ? "  cart: []" : "  cart:")
        for line in client.cart { out.append("    - { sku: \(Self.quote(line.sku)), qty: \(line.qty) }") }
        if !client.form.isEmpty {
            out.append("  form: { email: \(Self.quote(client.form.email)), name: \(Self.quote(client.form.name)) }")
        }
        if let key = simulation.storedKey {
            literalKeys.insert(key)
            out.append("  stored_key: \(Self.quote(key))")
            if let session = try? simulation.backend.store.session(key: key), session.status == .open {
                out.append("  open_sessions: [\(Self.quote(key))]")
            }
        }
        out.append("steps:")
        // Rules armed before the recording started, with the firings they have left.
        for rule in simulation.backend.rules.rules {
            let firing: RuleFiring = switch rule.firing {
            case .times: .times(rule.remaining ?? 1)
            case .always: .always
            case .probability(let p, _): .probability(p, times: rule.remaining)
            }
            out.append("  - backend: \(Self.yaml(rule.kind, firing))")
            stepCount += 1
        }
        return out
    }

    /// Writes the `expect` of the action that is waiting for one.
    private func flush() {
        guard let since = pendingSince else { return }
        pendingSince = nil
        let snapshot = simulation.snapshot
        var expect = ["  - expect:"]
        let requests = simulation.requests(after: since)
        if requests.isEmpty {
            expect.append("      requests: 0")
        } else {
            expect.append("      requests:")
            for entry in requests {
                let r = entry.record
                expect.append("        - { key: \(key(r.keySent)), result: \(r.result.rawValue), returned_key: \(key(r.returnedKey)) }")
            }
        }
        expect.append("      stored_key: \(key(snapshot.storedKey))")
        if let toast = snapshot.toast {
            expect.append("      toast: { kind: \(toast.kind.rawValue), category: \(toast.category.rawValue) }")
        } else {
            expect.append("      toast: none")
        }
        expect.append("      payment: \(snapshot.payment.rawValue)")
        expect.append(snapshot.cart.isEmpty ? "      cart: empty" : "      cart: { items: \(snapshot.cart.count) }")
        lines += expect
        stepCount += 1
    }

    private func key(_ value: String?) -> String {
        guard let value else { return "none" }
        if literalKeys.contains(value) { return Self.quote(value) }
        if let name = variables[value] { return name }
        let name = "$k\(variables.count + 1)"
        variables[value] = name
        return name
    }

    // MARK: - YAML

    static func quote(_ text: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return (try? String(decoding: encoder.encode(text), as: UTF8.self)) ?? "\"\""
    }

    static func yaml(_ action: ShopperAction) -> String {
        switch action {
        case .checkout(let clicks): clicks == 1 ? "checkout" : "{ checkout: { clicks: \(clicks) } }"
        case .refresh: "refresh"
        case .retry: "retry"
        case .pay(let card): "{ pay: { card: \(quote(card)) } }"
        case .returnFromRedirect(let status): "{ return_from_redirect: \(status.rawValue) }"
        case .addItem(let sku, let qty): "{ add_item: { sku: \(quote(sku)), qty: \(qty) } }"
        case .removeItem(let sku): "{ remove_item: \(quote(sku)) }"
        case .setQty(let sku, let qty): "{ set_qty: { sku: \(quote(sku)), qty: \(qty) } }"
        case .paymentMethod(let method): "{ payment_method: \(method.rawValue) }"
        case .fillForm(let form): "{ fill_form: { email: \(quote(form.email)), name: \(quote(form.name)) } }"
        case .setStoredKey(let key): "{ set_stored_key: \(quote(key)) }"
        case .clearStorage: "clear_storage"
        case .wait(let millis): "{ wait: \(millis)ms }"
        }
    }

    static func yaml(_ rule: RuleKind, _ firing: RuleFiring) -> String {
        let firingText: String? = switch firing {
        case .times(1): nil
        case .times(let n): "times: \(n)"
        case .always: "always: true"
        case .probability(let p, let times): "probability: \(p)" + (times.map { ", times: \($0)" } ?? "")
        }
        switch rule {
        case .error(let message, let code):
            return "{ error: { message: \(quote(message)), code: \(code.name)\(firingText.map { ", " + $0 } ?? "") } }"
        case .latency(let millis):
            return "{ latency: { duration: \(millis)ms\(firingText.map { ", " + $0 } ?? "") } }"
        default:
            guard let firingText else { return rule.name }
            return "{ \(rule.name): { \(firingText) } }"
        }
    }
}

/// Why a recording cannot start or be saved.
public struct RecordingError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
