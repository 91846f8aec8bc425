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
    /// The narration of the latest `say`.
    public private(set) var caption: String?
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

    public var isFinished: Bool { played >= scenario.steps.count }

    /// `✓ 3 passed, ✗ 1 failed` for the end.
    public var summary: String {
        let failed = verdicts.values.filter { !$0.isEmpty }.count
        return "\(verdicts.count - failed) expectation(s) passed, \(failed) failed"
    }

    /// The latest verdict, for the caption area.
    public var lastVerdict: (step: Int, failures: [String])? {
        guard let step = verdicts.keys.max(), step == played else { return nil }
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
        case .say(let text): caption = text
        case .expect: verdicts[played] = failures.map(\.message)
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
