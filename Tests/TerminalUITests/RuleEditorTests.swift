import CheckoutCore
import MockBackend
import Simulation
import Testing
@testable import TerminalUI

@Suite("The rule editor")
struct RuleEditorTests {
    /// Chooses the rule named `name` with →.
    private func choose(_ name: String, in editor: inout RuleEditor) {
        while editor.rule.name != name { _ = editor.handle(.right) }
    }

    private func type(_ text: String, into editor: inout RuleEditor) {
        for key in chars(text) { #expect(editor.handle(key) == .stay) }
    }

    @Test("an error with a typed message, a cycled code and a probability with times arms that exact RuleSpec")
    func errorWithProbability() {
        var editor = RuleEditor()
        choose("error", in: &editor)
        #expect(editor.fields == [.rule, .message, .code, .firing])
        _ = editor.handle(.down)
        #expect(editor.field == .message)
        type("Boom: q? <b>", into: &editor)  // q and ? are typed, not quit or help
        #expect(editor.message == "Boom: q? <b>")
        _ = editor.handle(.backspace)
        _ = editor.handle(.down)
        #expect(editor.field == .code)
        #expect(editor.code == .unknown)
        _ = editor.handle(.right)
        #expect(editor.code == .invalidArgument)
        _ = editor.handle(.left)
        _ = editor.handle(.left)
        #expect(editor.code == .canceled)
        _ = editor.handle(.left)
        #expect(editor.code == .unauthenticated, "cycles, and never offers ok")
        _ = editor.handle(.tab)
        _ = editor.handle(.right)
        _ = editor.handle(.right)
        _ = editor.handle(.right)
        #expect(editor.mode == .probability)
        #expect(editor.fields == [.rule, .message, .code, .firing, .probability, .times])
        _ = editor.handle(.down)
        type("0.25", into: &editor)
        _ = editor.handle(.down)
        type("3", into: &editor)
        let spec = RuleSpec(.error(message: "Boom: q? <b", code: .unauthenticated), .probability(0.25, times: 3))
        #expect(editor.handle(.enter) == .closeAndApply(.arm(spec)))
    }

    @Test("latency takes a typed duration; once, times, always and probability without a limit")
    func latencyAndFirings() {
        var editor = RuleEditor()
        choose("latency", in: &editor)
        _ = editor.handle(.down)
        type("1500ms", into: &editor)
        #expect(editor.handle(.enter) == .closeAndApply(.arm(.latency(millis: 1500), .once)))
        _ = editor.handle(.down)
        #expect(editor.field == .firing)
        _ = editor.handle(.right)
        _ = editor.handle(.down)
        type("999", into: &editor)
        #expect(editor.handle(.enter) == .closeAndApply(.arm(.latency(millis: 1500), .times(999))))
        _ = editor.handle(.up)
        _ = editor.handle(.right)
        #expect(editor.handle(.enter) == .closeAndApply(.arm(.latency(millis: 1500), .always)))
        _ = editor.handle(.right)
        _ = editor.handle(.down)
        type("1", into: &editor)
        _ = editor.handle(.down)
        _ = editor.handle(.character("\u{15}"))  // C-u clears the times
        #expect(editor.times.isEmpty)
        #expect(editor.handle(.enter) == .closeAndApply(.arm(.latency(millis: 1500), .probability(1, times: nil))))
    }

    @Test("a bad duration, probability or count is shown, with the field selected, and nothing is armed",
          arguments: [
              ("latency", [RuleEditor.Mode.once], "fast", RuleEditor.Field.duration, "'fast' is not a duration"),
              ("rotate", [.probability], "1.5", .probability, "'1.5': the probability is a number from 0 to 1"),
              ("rotate", [.probability], "nan", .probability, "from 0 to 1"),
              ("rotate", [.times], "1000", .times, "times is a whole number from 1 to 999"),
          ])
    func validation(rule: String, mode: [RuleEditor.Mode], typed: String, field: RuleEditor.Field, message: String) {
        let model = makeModel()
        press(model, .character("b"), .character("E"))
        #expect(model.overlay == .ruleEditor)
        guard case .ruleEditor(var editor) = model.overlayState else { return }
        choose(rule, in: &editor)
        if rule == "latency" { _ = editor.handle(.down) } else {
            _ = editor.handle(.down)
            while editor.mode != mode[0] { _ = editor.handle(.right) }
            _ = editor.handle(.down)
        }
        type(typed, into: &editor)
        _ = editor.handle(.up)
        #expect(editor.handle(.enter) == .stay)
        #expect(editor.field == field)
        #expect(editor.problem?.message.contains(message) == true, "\(String(describing: editor.problem))")
        let lines = View.render(Screen.with(model.screen(), overlay: .ruleEditor(editor)), width: 80, height: 24).lines
        #expect(lines.contains { $0.contains("✗ \(field.rawValue): ") }, "\(lines.joined(separator: "\n"))")
        _ = editor.handle(.backspace)
        #expect(editor.problem == nil, "editing clears the message")
        #expect(model.simulation.backend.rules.rules.isEmpty)
    }

    @Test("an empty message is refused; typed text is capped and control characters are not typed")
    func messageLimits() {
        var editor = RuleEditor()
        choose("error", in: &editor)
        #expect(editor.handle(.enter) == .stay)
        #expect(editor.problem?.field == .message)
        type(String(repeating: "x", count: RuleEditor.textLimit + 20), into: &editor)
        #expect(editor.message.count == RuleEditor.textLimit)
        _ = editor.handle(.character("\u{15}"))
        for c in ["\u{1B}", "\u{7}", "\u{202E}"] { _ = editor.handle(.character(Character(c))) }
        #expect(editor.message.isEmpty)
    }

    @Test("immediate rules have no firing; the menu's firing carries over")
    func immediateAndCarried() {
        var editor = RuleEditor()
        choose("expire_sessions", in: &editor)
        #expect(editor.fields == [.rule])
        #expect(editor.handle(.enter) == .closeAndApply(.arm(.expireSessions, .once)))
        var menu = BackendMenu()
        _ = menu.handle(.character("4"))
        guard case .open(.ruleEditor(var carried)) = menu.handle(.character("E")) else {
            Issue.record("E does not open the editor")
            return
        }
        #expect(carried.mode == .times && carried.times == "4")
        #expect(carried.handle(.enter) == .closeAndApply(.arm(.rotate, .times(4))))
    }

    @Test("in the app: b E opens the editor, Esc goes back to the menu, Enter arms through Simulation.apply")
    func inTheApp() {
        let model = makeModel()
        var applied: [Action] = []
        model.simulation.actionObserver = { action, _ in applied.append(action) }
        press(model, .character("b"), .character("E"))
        #expect(model.overlay == .ruleEditor)
        press(model, .character("q"), .character("?"))
        #expect(model.overlay == .ruleEditor && !model.quitRequested, "q and ? are the editor's")
        press(model, .escape)
        #expect(model.overlay == .backendMenu)
        #expect(applied.isEmpty, "Esc arms nothing")
        press(model, .character("E"), .down, .right, .right, .right, .down)
        for key in chars("0.5") + [.enter] { press(model, key) }
        #expect(model.overlay == nil)
        #expect(applied == [.arm(.rotate, .probability(0.5, times: nil))])
        #expect(model.simulation.backend.rules.rules.map(\.queueLabel) == ["rotate p=0.5 no limit"])
    }

    @Test("the menu lists the armed queue in order, ↑/↓ selects, X removes one through disarm")
    func queue() {
        let model = makeModel()
        var applied: [Action] = []
        model.simulation.actionObserver = { action, _ in applied.append(action) }
        model.simulation.apply(.arm(.rotate, .times(2)))
        model.simulation.apply(.arm(.latency(millis: 1500), .always))
        model.simulation.apply(.arm(.timeout))
        applied = []
        press(model, .character("b"))
        let menu = View.render(model, width: 80, height: 24).lines.joined(separator: "\n")
        for line in ["1. rotate ×2 left", "2. latency 1500ms always", "3. timeout ×1 left"] {
            #expect(menu.contains(line), "\(menu)")
        }
        press(model, .down, .down, .down, .up, .character("X"))
        #expect(model.overlay == .backendMenu, "the menu stays")
        #expect(applied == [.disarm(position: 2)])
        #expect(model.simulation.backend.rules.rules.map(\.queueLabel) == ["rotate ×2 left", "timeout ×1 left"])
        press(model, .delete, .backspace, .delete)
        #expect(model.simulation.backend.rules.rules.isEmpty)
        #expect(applied == [.disarm(position: 2), .disarm(position: 2), .disarm(position: 1)])
    }
}

extension Screen {
    /// `screen` with another overlay open.
    static func with(_ screen: Screen, overlay: OverlayState) -> Screen {
        var screen = screen
        screen.overlay = overlay
        return screen
    }
}
