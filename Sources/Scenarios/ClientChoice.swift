import CheckoutCore

/// A client the comparisons (`explore --compare`, `demo --compare`, `export --compare`)
/// set side by side. The one seam between the comparisons and the client's variants:
/// they list, parse, name and play a choice only through `ClientChoices`.
public typealias ClientChoice = ClientPolicy

/// Every client choice, its name, and the simulation it plays.
public enum ClientChoices {
    /// Every choice, in the order a comparison lists them.
    public static var all: [ClientChoice] { ClientChoice.allCases }

    /// What every comparison measures against: the seed's client.
    public static var baseline: ClientChoice { .standard }

    /// The name `--compare` and `--client` take: `standard`, `confirm-new-order`.
    public static func name(of choice: ClientChoice) -> String { choice.rawValue }

    /// The choice called `name`, `nil` for an unknown one.
    public static func named(_ name: String) -> ClientChoice? { ClientChoice(rawValue: name) }

    /// Every name, for messages: `standard, legacy`.
    public static var names: [String] { all.map(name(of:)) }

    /// `setup` with its client replaced by `choice`: the starting state a comparison plays.
    public static func setup(_ setup: ScenarioSetup, playedBy choice: ClientChoice) -> ScenarioSetup {
        var played = setup
        played.client = choice
        return played
    }

    /// The choices `list` names (`standard,legacy`), in its order, without repeats; an
    /// unknown name throws, with the closest known name when one is close.
    public static func parse(_ list: String) throws -> [ClientChoice] {
        var chosen: [ClientChoice] = []
        for word in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !word.isEmpty {
            guard let choice = named(word) else { throw UnknownClientChoice(name: word) }
            if !chosen.contains(choice) { chosen.append(choice) }
        }
        return chosen
    }
}

/// A client name no choice has: its message names the closest one and lists them all.
public struct UnknownClientChoice: Error, Equatable, CustomStringConvertible {
    public var name: String

    public init(name: String) { self.name = name }

    /// The closest known name, when it is close enough to be a typo.
    public var suggestion: String? {
        let lowered = name.lowercased()
        let best = ClientChoices.names.map { ($0, YAMLReader.distance(lowered, $0)) }.min { $0.1 < $1.1 }
        guard let best, name.count < 64, best.1 <= max(2, best.0.count / 3) else { return nil }
        return best.0
    }

    public var description: String {
        let hint = suggestion.map { "; did you mean '\($0)'?" } ?? ""
        return "unknown client '\(UntrustedText.escaped(name))'\(hint) (one of: \(ClientChoices.names.joined(separator: ", ")))"
    }
}
