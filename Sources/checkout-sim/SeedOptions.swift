import ArgumentParser

/// `--seed`. One option, said in one of two ways: the world's seed (`tui`, `serve`), or one
/// that overrides the scenarios' own `setup.seed` (`run`, `export`).
struct SeedOptions<Meaning: SeedMeaning>: ParsableArguments {
    @Option(help: Meaning.help)
    var seed: UInt64?
}

/// What `--seed` means to a command: its help text.
protocol SeedMeaning {
    static var help: ArgumentHelp { get }
}

/// The seed of the simulated world a command starts.
enum WorldSeed: SeedMeaning {
    static var help: ArgumentHelp { "Seed for reproducible keys and probability rules." }
}

/// A seed in place of each scenario's `setup.seed`.
enum ScenarioSeed: SeedMeaning {
    static var help: ArgumentHelp { "Seed for keys and probabilities, overriding each scenario's setup.seed." }
}
