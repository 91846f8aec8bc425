import Foundation
import Scenarios
import Simulation

/// A scenario played step by step in the TUI, with narration and verdicts.
public struct PresenterState {
    public let scenario: Scenario
    /// Steps played so far.
    public private(set) var played = 0
    /// Failures of each `expect` played, by step index (empty: passed).
    public private(set) var verdicts: [Int: [String]] = [:]
    /// The narration of the latest `say`, without a counter of its own (the header counts steps).
    public private(set) var caption: String?
    /// The first row of the caption shown, when it is longer than its rows (PgUp / PgDn).
    public private(set) var captionScroll = 0
    public var autoplay = false
    /// Delay between autoplayed steps.
    public var autoplayDelayMillis: Int64 = 1500
    private var lastStepAtMillis: Int64 = 0
    private var playback: ScenarioPlayback
    /// The simulation to put back when the presentation ends.
    let interactiveSimulation: Simulation?

    /// Starts `scenario` on a fresh simulation and installs it in `model`.
    public init(scenario: Scenario, model: AppModel, keepForLater: Bool = true) {
        self.scenario = scenario
        interactiveSimulation = keepForLater ? model.simulation : nil
        let simulation = Self.simulation(for: scenario)
        playback = ScenarioPlayback(simulation: simulation)
        caption = Self.introduction(scenario)
        model.replaceSimulation(simulation)
        if let caption { simulation.log(caption, kind: .narration) }
    }

    /// The scenario's starting state, its payment form holding the card it pays with first.
    static func simulation(for scenario: Scenario) -> Simulation {
        let simulation = ScenarioRunner().makeSimulation(for: scenario)
        for step in scenario.steps {
            if case .action(.pay(let card), _) = step.kind {
                simulation.apply(.selectCard(card))
                break
            }
        }
        return simulation
    }

    /// The description, on one line, shown before the first step.
    static func introduction(_ scenario: Scenario) -> String? {
        scenario.description.map { $0.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
    }

    /// Every narration of the demo: the caption area is as tall as the longest needs, so
    /// the screen does not jump from step to step (the description before the first step
    /// may take more rows, once).
    public var narrations: [String] {
        scenario.steps.compactMap { step in
            if case .say(let text) = step.kind { return Self.withoutStepCounter(text) }
            return nil
        }
    }

    /// `Step 1 of 3: The shopper…` (explore's narration) as `The shopper…`: the header's
    /// `step 2/11` is the one counter on screen.
    static func withoutStepCounter(_ said: String) -> String {
        let text = said.trimmingCharacters(in: .whitespacesAndNewlines)  // a folded YAML block ends with a line break
        guard text.hasPrefix("Step "), let colon = text.firstIndex(of: ":") else { return text }
        let words = text[text.index(text.startIndex, offsetBy: 5)..<colon].split(separator: " ")
        guard words.count == 3, words[1] == "of", words[0].allSatisfy(\.isNumber), words[2].allSatisfy(\.isNumber) else { return text }
        return String(text[text.index(after: colon)...].drop { $0 == " " })
    }

    public var isFinished: Bool { played >= scenario.steps.count }

    /// `✓ 3 passed, ✗ 1 failed` for the end.
    public var summary: String {
        let failed = verdicts.values.filter { !$0.isEmpty }.count
        return "\(verdicts.count - failed) expectation(s) passed, \(failed) failed"
    }

    /// The latest verdict, for its own row under the caption; it stays until the next one.
    public var lastVerdict: (step: Int, failures: [String])? {
        guard let step = verdicts.keys.max() else { return nil }
        return (step, verdicts[step] ?? [])
    }

    /// Presenter mode's keys, on every screen but the reading overlays and the
    /// picker: Esc ends the demo (`close`), the presenter table plays.
    mutating func handle(_ key: KeyPress, model: AppModel) -> OverlayOutcome {
        if key == .escape { return .close }
        guard let action = Keymap.binding(for: key, in: .presenter)?.action else { return .notMine }
        handle(action, model: model)
        return .stay
    }

    mutating func handle(_ action: AppAction, model: AppModel) {
        switch action {
        case .presenterNext: next(model: model)
        case .presenterBack: back(model: model)
        case .presenterAutoplay:
            autoplay.toggle()
            lastStepAtMillis = 0
        case .presenterSlower: autoplayDelayMillis = min(autoplayDelayMillis + 500, 10_000)
        case .presenterFaster: autoplayDelayMillis = max(autoplayDelayMillis - 500, 500)
        case .pageUp, .pageDown:
            let size = model.screenSize
            let longest = View.captionOverflow(caption, narrations: narrations, width: size.width, height: size.height)
            captionScroll = max(0, min(captionScroll + (action == .pageUp ? -1 : 1), longest))
        default: break
        }
    }

    /// Plays the next step.
    public mutating func next(model: AppModel) {
        guard !isFinished else { return }
        let step = scenario.steps[played]
        played += 1
        let failures = playback.perform(step, index: played)
        switch step.kind {
        case .say(let text):
            caption = Self.withoutStepCounter(text)
            captionScroll = 0
            model.simulation.log(caption ?? text, kind: .narration)
        case .expect:
            verdicts[played] = failures.map(\.message)
            model.simulation.log(View.verdictText(failures.map(\.message), step: played), kind: .status)
        default: break
        }
        model.refreshBackendView()
    }

    /// Goes back one step: replays from the start (the engine is deterministic).
    public mutating func back(model: AppModel) {
        let target = max(played - 1, 0)
        let simulation = Self.simulation(for: scenario)
        playback = ScenarioPlayback(simulation: simulation)
        model.replaceSimulation(simulation)
        played = 0
        verdicts = [:]
        caption = Self.introduction(scenario)
        captionScroll = 0
        if let caption { simulation.log(caption, kind: .narration) }
        while played < target { next(model: model) }
    }

    /// Autoplay: one step per delay of real time.
    mutating func tick(model: AppModel) {
        guard autoplay, !isFinished else { return }
        let now = model.wallClockMillis()
        if now - lastStepAtMillis >= autoplayDelayMillis {
            lastStepAtMillis = now
            next(model: model)
        }
    }
}

extension AppModel {
    /// Starts presenting `scenario`.
    public func present(_ scenario: Scenario) {
        presenter = PresenterState(scenario: scenario, model: self)
        status = "presenting \(scenario.name): Space plays the next step, Esc ends"
    }

    /// Ends presenter mode and returns to the interactive simulation.
    public func endPresentation() {
        guard let presenter else { return }
        if let interactive = presenter.interactiveSimulation { replaceSimulation(interactive) }
        self.presenter = nil
        status = "presentation ended"
    }
}
