import ArgumentParser
import Foundation
import Testing

@testable import checkout_sim

/// The options several commands share are declared once, as option groups, and every
/// command takes them alike: the same spelling, the same help line, the value in the group.
@Suite struct SharedOptionsTests {
    /// Every command of the tree, by the words that select it (`["rules", "add"]`).
    static func commands(_ type: ParsableCommand.Type = CheckoutSim.self, path: [String] = []) -> [(path: [String], type: ParsableCommand.Type)] {
        type.configuration.subcommands.flatMap { sub in
            let words = path + [sub._commandName]
            return [(words, sub)] + commands(sub, path: words)
        }
    }

    /// What a command needs besides the option under test to parse.
    static let required: [String: [String]] = ["rules add": ["rotate"], "export": ["04-rotation"], "demo": ["04-rotation"]]

    /// The commands whose help offers `option`, each with its help line for it.
    static func offering(_ option: String) -> [String: String] {
        var found: [String: String] = [:]
        for (path, type) in commands() {
            let help = CheckoutSim.helpMessage(for: type, columns: 10_000)
            if let line = help.split(separator: "\n").first(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix(option + " ") }) {
                found[path.joined(separator: " ")] = line.trimmingCharacters(in: .whitespaces)
            }
        }
        return found
    }

    static func parse(_ command: String, _ arguments: [String]) throws -> ParsableCommand {
        try CheckoutSim.parseAsRoot(command.split(separator: " ").map(String.init) + (required[command] ?? []) + arguments)
    }

    /// The value of a command's option group of type `Group`, if it has one.
    static func group<Group: ParsableArguments>(_ type: Group.Type, in command: ParsableCommand) -> Group? {
        Mirror(reflecting: command).children.lazy.compactMap { ($0.value as? OptionGroup<Group>)?.wrappedValue }.first
    }

    @Test func stateDirectory() throws {
        let offering = Self.offering("--state-dir")
        #expect(Set(offering.keys) == ["tui", "reset", "rules add", "rules list", "rules clear", "lint", "explore", "serve"])
        #expect(Set(offering.values).count == 1, "\(offering)")
        for command in offering.keys {
            for arguments in [["--state-dir", "/tmp/a dir"], ["--state-dir=/tmp/a dir"]] {
                let parsed = try Self.parse(command, arguments)
                let state = try #require(Self.group(StateOptions.self, in: parsed), "\(command) declares --state-dir outside StateOptions")
                #expect(state.stateDir == "/tmp/a dir", "\(command)")
                #expect(state.directory.path == "/tmp/a dir", "\(command)")
            }
            let unset = try #require(Self.group(StateOptions.self, in: Self.parse(command, [])))
            #expect(unset.stateDir == nil && unset.directory == StateDirectory.resolve(nil), "\(command)")
        }
    }

    @Test func seed() throws {
        let offering = Self.offering("--seed")
        #expect(Set(offering.keys) == ["tui", "serve", "run", "export"])
        // One wording per meaning: the world's seed, or one over each scenario's setup.seed.
        #expect(offering["tui"] == offering["serve"] && offering["run"] == offering["export"] && offering["tui"] != offering["run"])
        for command in offering.keys {
            let parsed = try Self.parse(command, ["--seed", "7"])
            let seed = Self.group(SeedOptions<WorldSeed>.self, in: parsed)?.seed ?? Self.group(SeedOptions<ScenarioSeed>.self, in: parsed)?.seed
            #expect(seed == 7, "\(command) declares --seed outside SeedOptions")
        }
        #expect(try Self.group(SeedOptions<WorldSeed>.self, in: Self.parse("tui", ["--seed", "7"]))?.seed == 7)
        #expect(try Self.group(SeedOptions<ScenarioSeed>.self, in: Self.parse("run", ["--seed", "7"]))?.seed == 7)
    }

    @Test func client() throws {
        let offering = Self.offering("--client")
        #expect(Set(offering.keys) == ["tui", "explore", "lint", "serve"])
        #expect(Set(offering.values).count == 1, "\(offering)")
        for command in offering.keys {
            #expect(try Self.group(ClientOptions.self, in: Self.parse(command, ["--client", "legacy"]))?.client == .legacy, "\(command)")
            #expect(try Self.group(ClientOptions.self, in: Self.parse(command, []))?.client == .standard, "\(command)")
            // A name the group does not know is a usage mistake, said alike by each command.
            do {
                _ = try Self.parse(command, ["--client", "modern"])
                Issue.record("\(command) took --client modern")
            } catch {
                let failure = Main.failure(for: error)
                #expect(failure.status == 2)
                #expect(failure.lines.first?.hasPrefix("Error: The value 'modern' is invalid for '--client <client>'.") == true, "\(command): \(failure.lines)")
            }
        }
        #expect(try (Self.parse("tui", ["--client", "legacy"]) as? TUICommand)?.options.client == .legacy)
    }
}

/// A command that cannot go on throws `UsageError`; `Main` writes its lines and exits 2.
@Suite struct UsageErrorTests {
    @Test func exitsTwoWithItsLines() {
        #expect(Main.failure(for: UsageError("no such thing")) == Main.Failure(status: 2, lines: ["no such thing"]))
        #expect(Main.failure(for: UsageError(lines: ["a.yaml:1:1: one", "a.yaml:2:1: two"])) == Main.Failure(status: 2, lines: ["a.yaml:1:1: one", "a.yaml:2:1: two"]))
        #expect(Main.failure(for: UsageError.reported) == Main.Failure(status: 2, lines: []))
    }

    @Test func otherExitStatusesStay() throws {
        #expect(Main.failure(for: ExitCode(1)) == Main.Failure(status: 1, lines: []))
        #expect(Main.failure(for: ExitCode(129)) == Main.Failure(status: 129, lines: []))
        do {
            _ = try CheckoutSim.parseAsRoot(["explore", "--depth", "13"])
            Issue.record("explore took --depth 13")
        } catch {
            let failure = Main.failure(for: error)
            #expect(failure.status == 2)
            #expect(failure.lines.first == "Error: --depth must be between 1 and 12")
            #expect(failure.lines.contains { $0.hasPrefix("Usage: checkout-sim explore") })
        }
    }

    /// A regular file where the state directory should be.
    private func fileInsteadOfDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cs-usage-\(UUID().uuidString)").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data("not a folder".utf8)))
        return path
    }

    @Test("a state directory that cannot be opened: one message, whichever command opens it")
    func stateDirectoryThatCannotBeOpened() throws {
        let path = try fileInsteadOfDirectory()
        var messages: [String: [String]] = [:]
        for command in [["rules", "list"], ["rules", "clear"], ["rules", "add", "rotate"], ["serve", "--headless", "--port", "0"]] {
            var parsed = try CheckoutSim.parseAsRoot(command + ["--state-dir", path])
            do {
                try parsed.run()
                Issue.record("\(command) ran on a file as its state directory")
            } catch let error as UsageError {
                #expect(Main.failure(for: error).status == 2)
                messages[command.joined(separator: " ")] = error.lines
            }
        }
        do {
            try TUICommand.launch(TUIOptions(stateDir: path))
            Issue.record("the TUI opened a file as its state directory")
        } catch let error as UsageError {
            messages["tui"] = error.lines
        }
        #expect(messages.count == 5)
        for (command, lines) in messages {
            #expect(lines == ["cannot open the state directory \(path): \(path) is a file, not a folder"], "\(command)")
        }
    }

    @Test func lintWithoutAJournal() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("cs-usage-\(UUID().uuidString)").path
        var lint = try CheckoutSim.parseAsRoot(["lint", "--state-dir", empty])
        #expect(throws: UsageError("no journal in \(empty): run `checkout-sim serve --state-dir \(empty)` first")) {
            try lint.run()
        }
    }
}
