import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

// Every shell example of README.md and docs/*.md runs as written, against the installed
// release build (`CHECKOUT_SIM_RELEASE_BINARY`; the debug build when it is unset).
//
// The convention, for whoever writes the docs:
// - An example is a line of a fenced block tagged `sh`, `shell`, `console` or nothing that
//   starts with `checkout-sim`, `swift run checkout-sim` (run as the built binary: the same
//   program) or, in any of them, `$ checkout-sim`. A line ending in `\` goes on on the next.
//   Other lines (curl, scripts, output) are not run; a block tagged `text` is a synopsis.
// - Each block runs in a fresh working directory holding a copy of `scenarios/`, with a fresh
//   state directory (`XDG_STATE_HOME`), its lines in order through `/bin/sh`, each within
//   60 s. Each must exit 0, or N when the line says `# exits N`.
// - In a `console` block, the lines below a `$` command are its output: each (but `…`) must
//   be a line of what it printed.
// - A TUI (`checkout-sim` with no command, `tui`, `demo`) runs in tmux; the test waits for its
//   footer, presses `q` and expects exit 0.
// - Not run: a block after `<!-- needs: browser -->` (WebShopBrowserTests covers it), and a
//   block with a `checkout-sim serve` line, which runs until stopped (the serve end-to-end
//   tests cover it, and the block's other lines talk to that server).

/// One line to run, where it is written and what it must give.
struct DocExample: Sendable, Equatable {
    var command: String
    var line: Int
    var status: Int32 = 0
    /// The output a `console` block shows below the command.
    var output: [String] = []
}

/// A fenced block with at least one example.
struct DocBlock: Sendable, CustomTestStringConvertible {
    var file: String
    var line: Int
    var examples: [DocExample]
    /// Why it is not run, or nil.
    var skipped: String?

    var testDescription: String { "\(file):\(line)" }
}

enum DocExamples {
    static let files: [String] = {
        let docs = (try? FileManager.default.contentsOfDirectory(atPath: repositoryRoot.appendingPathComponent("docs").path)) ?? []
        return ["README.md"] + docs.filter { $0.hasSuffix(".md") }.sorted().map { "docs/" + $0 }
    }()

    static let blocks: [DocBlock] = files.flatMap { file in
        let text = (try? String(contentsOf: repositoryRoot.appendingPathComponent(file), encoding: .utf8)) ?? ""
        return parse(text, file: file)
    }

    static let subcommands: Set<String> = ["tui", "run", "demo", "export", "list", "reset", "keys", "explore", "serve", "rules", "lint", "help"]

    /// The blocks of one Markdown text that hold examples.
    static func parse(_ text: String, file: String) -> [DocBlock] {
        var blocks: [DocBlock] = []
        var lastMarker: String?
        var open: (tag: String, line: Int, lines: [(Int, String)])?
        for (index, raw) in text.components(separatedBy: "\n").enumerated() {
            let trimmed = raw.trimmingCharacters(in: .whitespaces)
            if var block = open {
                if trimmed.hasPrefix("```") {
                    if block.tag != "-", let found = examples(in: block.lines, console: block.tag == "console") {
                        var skipped = lastMarker
                        if skipped == nil, found.contains(where: { words($0.command).dropFirst().first == "serve" }) {
                            skipped = "runs checkout-sim serve"
                        }
                        blocks.append(DocBlock(file: file, line: block.line, examples: found, skipped: skipped))
                    }
                    open = nil
                    lastMarker = nil
                } else {
                    block.lines.append((index + 1, trimmed))
                    open = block
                }
                continue
            }
            if trimmed.hasPrefix("```") {
                let tag = String(trimmed.dropFirst(3)).trimmingCharacters(in: .whitespaces)
                open = ["", "sh", "shell", "console"].contains(tag) ? (tag, index + 1, []) : nil
                if open == nil {
                    // A block of another kind: skip to its end.
                    open = (tag: "-", line: index + 1, lines: [])
                }
            } else if let marker = trimmed.firstMatch(of: /^<!-- needs: ([a-z, ]+) -->$/) {
                lastMarker = "needs " + marker.output.1
            } else if !trimmed.isEmpty {
                lastMarker = nil
            }
        }
        return blocks
    }

    /// The examples of a block's lines, or nil when it has none.
    static func examples(in lines: [(Int, String)], console: Bool) -> [DocExample]? {
        if lines.isEmpty { return nil }
        var found: [DocExample] = []
        var pending: (line: Int, text: String)?
        var inOutput = false
        for (number, line) in lines {
            if let started = pending {
                let joined = started.text + " " + line
                if line.hasSuffix("\\") {
                    pending = (started.line, String(joined.dropLast()).trimmingCharacters(in: .whitespaces))
                } else {
                    pending = nil
                    found.append(example(joined, line: started.line))
                }
                continue
            }
            var command = line
            if command.hasPrefix("$ ") {
                command = String(command.dropFirst(2))
            } else if console {
                if inOutput, !found.isEmpty, line != "…", !line.isEmpty { found[found.count - 1].output.append(line) }
                continue
            }
            let isExample = command == "checkout-sim" || command.hasPrefix("checkout-sim ")
                || command == "swift run checkout-sim" || command.hasPrefix("swift run checkout-sim ")
            inOutput = false
            guard isExample else { continue }
            if command.hasPrefix("swift run ") { command = String(command.dropFirst("swift run ".count)) }
            if command.hasSuffix("\\") {
                pending = (number, String(command.dropLast()).trimmingCharacters(in: .whitespaces))
            } else {
                found.append(example(command, line: number))
                inOutput = console
            }
        }
        return found.isEmpty ? nil : found
    }

    static func example(_ command: String, line: Int) -> DocExample {
        var example = DocExample(command: command, line: line)
        if let exits = command.firstMatch(of: /#.*\bexits ([0-9]+)\b/) { example.status = Int32(exits.output.1) ?? 0 }
        return example
    }

    /// The words of a command line, quotes removed, up to a comment.
    static func words(_ command: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quote: Character?
        var inWord = false
        for character in command {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "'" || character == "\"" {
                quote = character
                inWord = true
            } else if character == "#" && !inWord {
                break
            } else if character == " " {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(character)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }

    /// Whether a command opens the TUI.
    static func isInterface(_ command: String) -> Bool {
        let arguments = words(command).dropFirst()
        guard let first = arguments.first else { return true }
        if first == "tui" || first == "demo" { return true }
        return first.hasPrefix("-") && !arguments.contains { subcommands.contains($0) }
            && !arguments.contains("--help") && !arguments.contains("--version") && !arguments.contains("-h")
    }
}

/// A folder of its own for one block: its working directory (with `scenarios/`), its state, and
/// `bin/checkout-sim`, the binary under test.
struct ExampleWorld {
    let root: String
    var work: String { root + "/work" }
    var state: String { root + "/state" }
    var bin: String { root + "/bin" }

    init(app: String) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("cs-docs-\(UUID().uuidString)").path
        let manager = FileManager.default
        for folder in [work, state, bin] { try manager.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        try manager.copyItem(atPath: repositoryRoot.appendingPathComponent("scenarios").path, toPath: work + "/scenarios")
        try manager.createSymbolicLink(atPath: bin + "/checkout-sim", withDestinationPath: app)
    }

    var exports: String {
        "export PATH='\(bin)':/usr/local/bin:/usr/bin:/bin XDG_STATE_HOME='\(state)' LANG=C.UTF-8 TERM=xterm-256color; unset NO_COLOR"
    }

    func remove() { try? FileManager.default.removeItem(atPath: root) }
}

@Suite("The docs' examples run as written")
struct DocsExamplesTests {
    static let app = releaseBinary ?? binary

    @Test("the convention: blocks, prefixes, `# exits N`, markers, console output, continuations")
    func convention() {
        let text = """
            ```
            swift run checkout-sim run scenarios
            scripts/test.sh
            ```
            ```sh
            checkout-sim run bad.yaml   # exits 2
            checkout-sim export 04-rotation \\
              --format svg
            ```
            <!-- needs: browser -->
            ```
            checkout-sim list
            ```
            ```text
            checkout-sim explore [--depth N]
            ```
            ```console
            $ checkout-sim list
            builtin:01-first-validation.yaml
            …
            ```
            ```
            checkout-sim serve --headless
            curl http://127.0.0.1:8787/__admin/health
            checkout-sim lint
            ```
            ```
            curl http://127.0.0.1:8787/
            ```
            """
        let blocks = DocExamples.parse(text, file: "x.md")
        #expect(blocks.map(\.line) == [1, 5, 11, 17, 22])
        #expect(blocks[0].examples == [DocExample(command: "checkout-sim run scenarios", line: 2)])
        #expect(blocks[1].examples.map(\.status) == [2, 0])
        #expect(blocks[1].examples[1].command == "checkout-sim export 04-rotation --format svg")
        #expect(blocks[2].skipped == "needs browser")
        #expect(blocks[3].examples == [DocExample(command: "checkout-sim list", line: 18, output: ["builtin:01-first-validation.yaml"])])
        #expect(blocks[4].skipped == "runs checkout-sim serve")
        #expect(blocks.filter { $0.skipped == nil }.count == 3)
        #expect(DocExamples.isInterface("checkout-sim"))
        #expect(DocExamples.isInterface("checkout-sim --record bug.yaml"))
        #expect(DocExamples.isInterface("checkout-sim demo 06-already-completed-recovered"))
        #expect(!DocExamples.isInterface("checkout-sim --state-dir x run scenarios"))
        #expect(!DocExamples.isInterface("checkout-sim --help"))
        #expect(DocExamples.words("checkout-sim rules add '{ latency: 2s }' # a comment") == ["checkout-sim", "rules", "add", "{ latency: 2s }"])
    }

    @Test("the docs hold examples, in the README and in docs/")
    func found() {
        let run = DocExamples.blocks.filter { $0.skipped == nil }
        #expect(run.flatMap(\.examples).count >= 20, "\(DocExamples.blocks.map(\.testDescription))")
        #expect(run.contains { $0.file == "README.md" && $0.line == 3 }, "the README's first block (the TUI) is run")
        #expect(Set(run.map(\.file)).isSuperset(of: ["README.md", "docs/explore.md", "docs/scenarios.md"]))
    }

    @Test("each example exits as documented", .enabled(if: tmuxAvailable), .timeLimit(.minutes(3)),
          arguments: DocExamples.blocks.filter { $0.skipped == nil })
    func examples(block: DocBlock) throws {
        let world = try ExampleWorld(app: Self.app)
        defer { world.remove() }
        for example in block.examples {
            let place = "\(block.file):\(example.line): \(example.command)"
            if DocExamples.isInterface(example.command) {
                let tmux = try TmuxSession("cd '\(world.work)' && \(world.exports); \(example.command)")
                let screen = tmux.waitUntil(seconds: 20) { $0.contains("quit") || $0.contains("EXIT=") }
                #expect(screen.contains("quit"), "\(place): no footer with quit:\n\(screen)")
                try tmux.type("q")
                let end = tmux.waitFor("EXIT=", seconds: 20)
                #expect(end.contains("EXIT=0"), "\(place): after q:\n\(end)")
                continue
            }
            let process = try ChildProcess(
                ["/usr/bin/timeout", "-k", "5", "60", "/bin/sh", "-c", "cd '\(world.work)' && \(world.exports); \(example.command)"],
                environment: [])
            let result = process.finish()
            #expect(result.status == example.status,
                    "\(place): exit \(result.status), documented \(example.status)\n\(result.stdout.suffix(1500))\(result.stderr.suffix(1500))")
            let printed = Set(result.stdout.components(separatedBy: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
            for line in example.output {
                let shown = printed.contains(line)
                #expect(shown, "\(place): the doc shows \"\(line)\", not printed:\n\(result.stdout)")
            }
        }
    }
}
