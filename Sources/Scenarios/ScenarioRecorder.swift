import CheckoutCore
import Foundation
import MockBackend
import Simulation

/// Turns an interactive exploration into a scenario file (format v1): the
/// setup at the start, then every action applied to the simulation, in order,
/// each followed by an `expect` of what was observed (server keys as `$k1`,
/// `$k2`; backend totals counted from the start of the recording). An action
/// taken while a request was still in flight is written `wait: false`, with
/// the time that passed before the next one, so a headless replay delivers
/// every reply exactly where it arrived live.
public final class ScenarioRecorder {
    public let file: String
    private let simulation: Simulation
    private var lines: [String] = []
    /// The `do:` action waiting for its step and `expect`.
    private var pending: Action?
    /// Where the replay's time stands: the last action, or the last `wait` written.
    private var lastEventMillis: Int64
    /// The request count at the last `expect` written (or the start).
    private var requestsAtLastExpect: Int
    /// The request count at the last event.
    private var requestsAtLastEvent: Int
    private var variables: [String: String] = [:]
    /// Keys that came from the page itself (setup, tampering): written literally.
    private var literalKeys: Set<String> = []
    /// The world when the recording started: its setup.
    private let start: RecordingStart
    public private(set) var stepCount = 0
    private let title: Title

    /// The name, description and tags written at the top of the file.
    public struct Title: Sendable {
        public var name: String
        public var description: String
        public var tags: [String]

        public init(name: String, description: String, tags: [String]) {
            self.name = name
            self.description = description
            self.tags = tags
        }

        public static let recorded = Title(
            name: "Recorded exploration",
            description: "Recorded with checkout-sim; every action is followed by what was observed.", tags: ["recorded"])
    }

    /// Starts recording `simulation` as it is now: every action applied to it from now on.
    public init(simulation: Simulation, file: String, title: Title = .recorded) {
        // Replies already due arrive now, as they would at the next action: whatever is
        // still in flight then is due after the start, and the setup says when.
        simulation.deliverDue()
        self.simulation = simulation
        self.file = file
        self.title = title
        lastEventMillis = simulation.clock.nowMillis
        requestsAtLastExpect = simulation.requestCount
        requestsAtLastEvent = simulation.requestCount
        start = RecordingStart(simulation)
        literalKeys = start.pageKeys
        simulation.actionObserver = { [weak self] action, at in self?.willApply(action, at: at) }
    }

    /// The keys the setup writes as they are (sessions from before the start, the stored key).
    var startKeys: Set<String> { start.pageKeys.union(start.reachable(mentioned: literalKeys)) }

    /// Stops following the simulation.
    public func stop() {
        flush(atMillis: simulation.clock.nowMillis)
        simulation.actionObserver = nil
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

    /// `action` is about to be applied at `atMillis`; replies due by then have arrived.
    func willApply(_ action: Action, at atMillis: Int64) {
        flush(atMillis: atMillis)
        if case .setStoredKey(let key) = action { literalKeys.insert(key) }
        if action.isBackend {
            lines.append(ScenarioEncoder.step(action))
            stepCount += 1
        } else {
            pending = action
            if case .wait(let millis) = action { lastEventMillis = atMillis + millis }
        }
    }

    /// Writes a `say:` step (narration) after what was recorded so far.
    public func say(_ text: String) {
        flush(atMillis: simulation.clock.nowMillis)
        lines.append("  - say: \(Self.quote(text))")
        stepCount += 1
    }

    /// Writes the file (refusing to overwrite one that appeared meanwhile).
    public func write() throws {
        stop()
        let text = (head() + lines).joined(separator: "\n") + "\n"
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
        flush(atMillis: simulation.clock.nowMillis)
        return (head() + lines).joined(separator: "\n") + "\n"
    }

    // MARK: - Writing

    /// The top of the file: title, then the setup (as `start` found the world).
    private func head() -> [String] {
        ["name: \(Self.quote(title.name))",
         "description: \(Self.quote(title.description))",
         "tags: [\(title.tags.map(Self.quote).joined(separator: ", "))]"]
            + start.setupLines(mentioned: literalKeys) + ["steps:"]
    }

    /// Writes the action waiting for its step, then its `expect`. Requests
    /// still in flight now were in flight when the next event came: the step
    /// must not wait for them, and the time that passed is written out.
    private func flush(atMillis now: Int64) {
        guard let action = pending else { return catchUp(now) }
        pending = nil
        let settles = simulation.inFlightCount == 0
        lines.append(ScenarioEncoder.step(action, waitsForReply: settles))
        stepCount += 1
        if settles { requestsAtLastEvent = simulation.requestCount }
        catchUp(now)
        let snapshot = simulation.snapshot
        var expect = ["  - expect:"]
        let requests = simulation.requests(after: requestsAtLastExpect)
        requestsAtLastExpect = simulation.requestCount
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
        expect.append("      form: \(snapshot.form.isEmpty ? "empty" : "filled")")
        // Counted from the start of the recording, as a replay counts from its own.
        let c = snapshot.counters, base = start.counters
        expect.append("      backend: { sessions: \(c.sessions - base.sessions), "
                      + "payment_intents: \(c.paymentIntents - base.paymentIntents), paid: \(c.paid - base.paid) }")
        lines += expect
        stepCount += 1
    }

    /// A `wait` for the time since the last event when a reply arrived
    /// meanwhile or is still in flight (otherwise time makes no difference a
    /// replay could see).
    private func catchUp(_ now: Int64) {
        defer { requestsAtLastEvent = simulation.requestCount }
        if simulation.inFlightCount > 0 || simulation.requestCount > requestsAtLastEvent, now > lastEventMillis {
            lines.append(ScenarioEncoder.step(.wait(millis: now - lastEventMillis)))
            stepCount += 1
        }
        lastEventMillis = now
    }

    private func key(_ value: String?) -> String {
        guard let value else { return "none" }
        // A session's key from before the start is in the setup: the replay has the same one.
        if start.isSession(value) { literalKeys.insert(value) }
        if literalKeys.contains(value) { return Self.quote(value) }
        if let name = variables[value] { return name }
        let name = "$k\(variables.count + 1)"
        variables[value] = name
        return name
    }

    // MARK: - YAML

    static func quote(_ text: String) -> String { FormValue.quote(text) }
}

/// Why a recording cannot start or be saved.
public struct RecordingError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
