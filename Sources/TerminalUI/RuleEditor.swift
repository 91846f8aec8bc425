import Foundation
import CheckoutCore
import MockBackend
import Simulation

/// The rule editor (`E` in the backend menu): any rule of the rule table with
/// any firing, `error` with a typed message and a Connect code, `latency` with
/// a typed duration. Enter arms the `RuleSpec` it describes through
/// `Action.arm`, or says what is wrong; Esc goes back to the menu.
public struct RuleEditor: Equatable {
    /// One line of the form.
    public enum Field: String, Equatable, Sendable {
        case rule, message, code, duration, firing, probability, times

        /// Typed into, rather than chosen with ←/→.
        public var isText: Bool { self == .message || self == .duration || self == .probability || self == .times }
    }

    /// How often the rule fires, as the editor chooses it.
    public enum Mode: String, Equatable, Sendable, CaseIterable {
        case once, times, always, probability
    }

    /// What is wrong with the form, and where.
    public struct Problem: Error, Equatable, Sendable {
        public var field: Field
        public var message: String
    }

    /// The longest message; durations and numbers are shorter.
    public static let textLimit = 200
    static let shortLimit = 40
    /// The most firings the editor arms.
    public static let maxTimes = 999
    /// The Connect codes an error can carry (`ok` is not an error).
    public static let codes = RPCCode.allCases.filter { $0 != .ok }

    /// The rule's row in `RuleKind.table`.
    public private(set) var ruleIndex = 0
    public private(set) var mode: Mode = .once
    public private(set) var message = ""
    public private(set) var codeIndex = RuleEditor.codes.firstIndex(of: .unknown) ?? 0
    public private(set) var duration = ""
    public private(set) var probability = ""
    public private(set) var times = ""
    /// The selected field.
    public private(set) var field: Field = .rule
    /// What was wrong when Enter was last pressed; editing clears it.
    public private(set) var problem: Problem?

    /// Starts with the firing the backend menu had chosen (1-9, A).
    public init(firing: RuleFiring = .once) {
        switch firing {
        case .times(1): mode = .once
        case .times(let n):
            mode = .times
            times = "\(n)"
        case .always: mode = .always
        case .probability(let p, let limit):
            mode = .probability
            probability = "\(p)"
            times = limit.map { "\($0)" } ?? ""
        }
    }

    public var rule: RuleInfo { RuleKind.table[ruleIndex] }
    public var code: RPCCode { Self.codes[codeIndex] }

    /// The fields this rule and firing use, in order.
    public var fields: [Field] {
        var fields: [Field] = [.rule]
        switch rule.argument {
        case .none: break
        case .message: fields += [.message, .code]
        case .duration: fields += [.duration]
        }
        guard !rule.menuRule.isImmediate else { return fields }  // they act once, now
        fields.append(.firing)
        switch mode {
        case .once, .always: break
        case .times: fields.append(.times)
        case .probability: fields += [.probability, .times]
        }
        return fields
    }

    /// The text typed into `field`.
    public func text(_ field: Field) -> String {
        switch field {
        case .message: message
        case .duration: duration
        case .probability: probability
        case .times: times
        case .rule: rule.name
        case .code: code.name
        case .firing: mode.rawValue
        }
    }

    // MARK: - Keys

    /// Every key is the editor's: text fields take what is typed.
    mutating func handle(_ key: KeyPress) -> OverlayOutcome {
        if case .character(let c) = key, field.isText, Self.isTypable(c) {
            edit { $0.append(c) }
            return .stay
        }
        switch Keymap.binding(for: key, in: .ruleEditor)?.action {
        case .closeOverlay: return .open(.backendMenu(BackendMenu()))
        case .nextField: move(by: 1)
        case .previousField: move(by: -1)
        case .choose: choose(by: key == .left ? -1 : 1)
        case .eraseCharacter: edit { _ = $0.popLast() }
        case .clearField: edit { $0 = "" }
        case .armRule:
            switch spec() {
            case .success(let spec): return .closeAndApply(.arm(spec))
            case .failure(let problem):
                self.problem = problem
                field = problem.field
            }
        default: break
        }
        return .stay
    }

    /// Printable: control characters are never typed into a field.
    static func isTypable(_ c: Character) -> Bool {
        !c.unicodeScalars.contains { $0.properties.generalCategory == .control || $0.properties.generalCategory == .format }
    }

    private mutating func move(by delta: Int) {
        let fields = fields
        let index = fields.firstIndex(of: field) ?? 0
        field = fields[(index + delta + fields.count) % fields.count]
    }

    private mutating func choose(by delta: Int) {
        func step(_ index: Int, _ count: Int) -> Int { (index + delta + count) % count }
        switch field {
        case .rule: ruleIndex = step(ruleIndex, RuleKind.table.count)
        case .code: codeIndex = step(codeIndex, Self.codes.count)
        case .firing: mode = Mode.allCases[step(Mode.allCases.firstIndex(of: mode) ?? 0, Mode.allCases.count)]
        default: return
        }
        problem = nil
    }

    /// Changes the selected text field, within its length limit.
    private mutating func edit(_ change: (inout String) -> Void) {
        guard field.isText else { return }
        var text = text(field)
        change(&text)
        guard text.count <= (field == .message ? Self.textLimit : Self.shortLimit) else { return }
        switch field {
        case .message: message = text
        case .duration: duration = text
        case .probability: probability = text
        case .times: times = text
        default: return
        }
        problem = nil
    }

    // MARK: - The rule

    /// The rule the form describes, or the first thing wrong with it.
    public func spec() -> Result<RuleSpec, Problem> {
        let kind: RuleKind
        switch rule.argument {
        case .none: kind = rule.menuRule
        case .message:
            let text = message.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { return .failure(Problem(field: .message, message: "type the error's message")) }
            kind = .error(message: text, code: code)
        case .duration:
            let text = duration.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { return .failure(Problem(field: .duration, message: "type a duration, e.g. 1500ms or 2s")) }
            guard let millis = Duration.millis(parsing: text) else {
                return .failure(Problem(field: .duration, message: "'\(text)' is not a duration: e.g. 1500ms, 2s, 1m30s (a year at most)"))
            }
            kind = .latency(millis: millis)
        }
        if kind.isImmediate { return .success(RuleSpec(kind, .once)) }
        switch mode {
        case .once: return .success(RuleSpec(kind, .once))
        case .always: return .success(RuleSpec(kind, .always))
        case .times:
            guard let n = parseTimes(), let n else { return .failure(timesProblem(optional: false)) }
            return .success(RuleSpec(kind, .times(n)))
        case .probability:
            let text = probability.trimmingCharacters(in: .whitespaces)
            guard let p = Double(text), p.isFinite, (0...1).contains(p) else {
                let shown = text.isEmpty ? "" : "'\(text)': "
                return .failure(Problem(field: .probability, message: shown + "the probability is a number from 0 to 1, e.g. 0.3"))
            }
            guard let limit = parseTimes() else { return .failure(timesProblem(optional: true)) }
            return .success(RuleSpec(kind, .probability(p, times: limit)))
        }
    }

    /// `nil`: not a count; `.some(nil)`: left empty.
    private func parseTimes() -> Int?? {
        let text = times.trimmingCharacters(in: .whitespaces)
        if text.isEmpty { return .some(nil) }
        guard let n = Int(text), (1...Self.maxTimes).contains(n) else { return nil }
        return .some(n)
    }

    private func timesProblem(optional: Bool) -> Problem {
        Problem(field: .times, message: "times is a whole number from 1 to \(Self.maxTimes)" + (optional ? ", or empty for no limit" : ""))
    }
}
