import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The binary's exit statuses, standard output and standard error for the headless commands,
/// and the files it leaves behind.
@Suite("The command line, end to end")
struct CommandLineEndToEndTests {
    let folder: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cs-cli-e2e-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    static let passing = "name: passes\nsteps:\n  - do: checkout\n"
    static let failing = """
        name: fails
        steps:
          - backend: { error: { message: "boom" } }
          - do: checkout
          - expect: { toast: none }

        """

    @discardableResult
    private func write(_ name: String, _ text: String) throws -> String {
        let path = folder + "/" + name
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        return path
    }

    // MARK: - run

    @Test("run exits 0 when every scenario passes, 1 when one fails, 2 on unusable input")
    func runExitCodes() throws {
        let good = try write("good.yaml", Self.passing)
        let bad = try write("bad.yaml", Self.failing)
        let broken = try write("broken.yaml", "name: x\n")
        #expect(try runBinary(["run", good]).status == 0)
        let failed = try runBinary(["run", good, bad])
        #expect(failed.status == 1)
        #expect(failed.stdout.hasSuffix("1 passed, 1 failed\n"))
        let unusable = try runBinary(["run", good, broken])
        #expect(unusable.status == 2)
        #expect(unusable.stderr == "\(broken):1:1: missing required field 'steps'\n")
        let missing = try runBinary(["run", folder + "/none.yaml"])
        #expect(missing.status == 2)
        #expect(missing.stderr == "\(folder)/none.yaml: no such file or folder\n")
    }

    // MARK: - export

    @Test("export picks the format from --output's extension, exits 1 on a failed expectation, 2 on unusable input")
    func export() throws {
        let good = try write("good.yaml", Self.passing)
        let bad = try write("bad.yaml", Self.failing)
        let mermaid = try runBinary(["export", good])
        #expect(mermaid.status == 0)
        #expect(mermaid.stdout.hasPrefix("sequenceDiagram\n    title passes\n"))
        for (name, start) in [("p.svg", "<svg "), ("p.html", "<!DOCTYPE html>"), ("p.md", "```mermaid\n"), ("p.cast", "{\"env\"")] {
            let path = folder + "/" + name
            let written = try runBinary(["export", "04-rotation", "--output", path])
            #expect(written.status == 0, "\(name): \(written.stderr)")
            #expect((try? String(contentsOfFile: path, encoding: .utf8))?.hasPrefix(start) == true, "\(name)")
        }
        let failed = try runBinary(["export", bad, "--format", "svg"])
        #expect(failed.status == 1)
        #expect(failed.stdout.hasPrefix("<svg "))
        #expect(failed.stderr == "\(bad): 1 expectation(s) failed; the picture shows where\n")
        #expect(try runBinary(["export", folder + "/none.yaml"]).status == 2)
        let unknown = try runBinary(["export", good, "--output", folder + "/p.txt"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("cannot tell the format"))
        #expect(try runBinary(["export", good, "--format", "cast", "--size", "80x24"]).status == 2)
    }

    @Test("export --catalog-markdown writes the catalog document; a scenario with it, or neither, is a usage mistake")
    func exportCatalog() throws {
        let path = folder + "/catalog.md"
        let written = try runBinary(["export", "--catalog-markdown", "--output", path])
        #expect(written.status == 0, "\(written.stderr)")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("# Scenario catalog\n"))
        let diagrams = text.components(separatedBy: "```mermaid\nsequenceDiagram\n").count - 1
        #expect(diagrams >= 32 && diagrams == text.components(separatedBy: "<a id=\"").count - 1, "one diagram per built-in scenario")
        let both = try runBinary(["export", "04-rotation", "--catalog-markdown"])
        #expect(both.status == 2 && both.stderr.contains("not both"))
        let neither = try runBinary(["export"])
        #expect(neither.status == 2 && neither.stderr.contains("give a scenario, or --catalog-markdown"))
    }

    @Test("run --format html writes one self-contained page with every scenario's diagram")
    func runHTML() throws {
        let good = try write("good.yaml", Self.passing)
        let bad = try write("bad.yaml", Self.failing)
        let path = folder + "/report.html"
        let report = try runBinary(["run", good, bad, "--format", "html", "--output", path])
        #expect(report.status == 1)
        #expect(report.stdout.hasSuffix("1 passed, 1 failed\n"))
        let html = try String(contentsOfFile: path, encoding: .utf8)
        #expect(html.components(separatedBy: "<svg ").count == 3)
        #expect(!html.contains("<script") && !html.contains("src=\"http"))
    }

    @Test("escape sequences in file names and quoted input never reach the terminal raw")
    func noRawEscapes() throws {
        let file = try write("evil\u{1B}]0;NAME\u{07}.yaml", "name: x\nsteps:\n  - do: \"bad\\e]0;PWNED\\a\"\n")
        for arguments in [["run", file], ["list", folder], ["demo", file], ["run", folder + "/\u{1B}[2Jmissing"]] {
            let result = try runBinary(arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(!(result.stdout + result.stderr).unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" }, "\(arguments)")
        }
        let result = try runBinary(["run", file])
        #expect(result.stderr == "\(folder)/evil\\e]0;NAME\\u{7}.yaml:3:9: unknown action 'bad\\e]0;PWNED\\u{7}'\n")
    }

    @Test("usage mistakes exit 2 with the usage on standard error; help exits 0")
    func usageErrors() throws {
        for arguments in [["--bogus"], ["run", "--format", "xml"], ["run", "--seed", "abc"], ["list", "a", "b"],
                          ["--opt\u{1B}]0;X\u{07}"]] {
            let result = try runBinary(arguments)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("Usage:"), "\(arguments)")
            #expect(!result.stderr.unicodeScalars.contains("\u{1B}"))
        }
        let help = try runBinary(["run", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("USAGE:"))
    }

    // MARK: - list

    @Test("list shows every usable scenario even when one file is broken, then exits 2")
    func listWithABadFile() throws {
        try write("a.yaml", "name: first\ndescription: one\nsteps: []\n")
        let broken = try write("b.yaml", "name: ''\nsteps: []\n")
        try write("c.yaml", "name: third\nsteps: []\n")
        let result = try runBinary(["list", folder])
        #expect(result.status == 2)
        #expect(result.stdout == "\(folder)/a.yaml\n  first\n  one\n\(folder)/c.yaml\n  third\n")
        #expect(result.stderr == "\(broken):1:7: the scenario's name must not be empty\n")
    }

    // MARK: - --output

    @Test("--output through a symlink writes its target and keeps the link")
    func outputThroughSymlink() throws {
        let good = try write("good.yaml", Self.passing)
        try write("real.xml", "old")
        try FileManager.default.createSymbolicLink(atPath: folder + "/link.xml", withDestinationPath: "real.xml")
        let result = try runBinary(["run", good, "--format", "junit", "--output", folder + "/link.xml"])
        #expect(result.status == 0)
        let type = try FileManager.default.attributesOfItem(atPath: folder + "/link.xml")[.type] as? FileAttributeType
        #expect(type == .typeSymbolicLink)
        #expect(try String(contentsOfFile: folder + "/real.xml", encoding: .utf8).hasPrefix("<?xml"))
    }

    @Test("--output to a full device exits 2, says why and leaves the device a device")
    func outputToAFullDevice() throws {
        let good = try write("good.yaml", Self.passing)
        let full = fullDevice(in: folder)
        let result = try runBinary(["run", good, "--output", full])
        #expect(result.status == 2)
        #expect(result.stderr == "cannot write \(full): no space left on device\n")
        let type = try FileManager.default.attributesOfItem(atPath: full)[.type] as? FileAttributeType
        #expect(type == .typeCharacterSpecial)
    }

    @Test("--output to a FIFO writes into it")
    func outputToAFIFO() throws {
        let good = try write("good.yaml", Self.passing)
        let fifo = folder + "/pipe"
        #expect(mkfifo(fifo, 0o600) == 0)
        let reader = open(fifo, O_RDONLY | O_NONBLOCK)
        #expect(reader >= 0)
        defer { close(reader) }
        let result = try runBinary(["run", good, "--format", "json", "--output", fifo])
        #expect(result.status == 0)
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = read(reader, &buffer, buffer.count)
        #expect(String(decoding: buffer.prefix(max(count, 0)), as: UTF8.self).contains("\"passed\" : 1"))
    }

    @Test("--output /dev/stdout writes the report to standard output, never replaces it")
    func outputToStandardOutput() throws {
        let good = try write("good.yaml", Self.passing)
        // A link of our own to what /dev/stdout links to: a regression replaces it, not /dev/stdout.
        let stdout = folder + "/stdout"
        try FileManager.default.createSymbolicLink(atPath: stdout, withDestinationPath: "/proc/self/fd/1")
        let result = try runBinary(["run", good, "--format", "json", "--output", stdout])
        #expect(result.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(object?["passed"] as? Int == 1, "\(result.stdout)")
        let type = try FileManager.default.attributesOfItem(atPath: stdout)[.type] as? FileAttributeType
        #expect(type == .typeSymbolicLink)
    }

    // MARK: - reset

    private func stateWithForeignFiles() throws -> String {
        let state = folder + "/state"
        try FileManager.default.createDirectory(atPath: state + "/backend.sqlite.backup", withIntermediateDirectories: true)
        for name in ["backend.sqlite", "backend.sqlite-wal", "localStorage.json", "localStorage.json.lock",
                     ".localStorage.json.42.tmp", "localStorage.json.bak", "backend.sqlite.corrupt-1", "backend.sqlite.backup/db"] {
            #expect(FileManager.default.createFile(atPath: state + "/" + name, contents: Data("x".utf8)))
        }
        return state
    }

    @Test("reset removes its own files, says which, and keeps everything else")
    func resetKeepsForeignFiles() throws {
        let state = try stateWithForeignFiles()
        let result = try runBinary(["reset", "--state-dir", state])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("removed \(state)/backend.sqlite\n"))
        #expect(result.stdout.hasSuffix("reset \(state)\n"))
        let left = try FileManager.default.contentsOfDirectory(atPath: state).sorted()
        #expect(left == ["backend.sqlite.backup", "backend.sqlite.corrupt-1", "localStorage.json.bak"])
        #expect(FileManager.default.fileExists(atPath: state + "/backend.sqlite.backup/db"))
    }

    @Test("reset refuses a folder with one of its names and changes nothing")
    func resetRefusesAFolder() throws {
        let state = try stateWithForeignFiles()
        try FileManager.default.createDirectory(atPath: state + "/backend.sqlite-shm", withIntermediateDirectories: true)
        let result = try runBinary(["reset", "--state-dir", state])
        #expect(result.status == 2)
        #expect(result.stderr.contains("\(state)/backend.sqlite-shm is a folder"))
        #expect(FileManager.default.fileExists(atPath: state + "/backend.sqlite"))
    }

    @Test("reset refuses while the state directory is held, unless --force")
    func resetRefusesWhileHeld() throws {
        let state = try stateWithForeignFiles()
        let fd = open(state + "/.checkout-sim.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        #expect(fd >= 0 && flock(fd, LOCK_SH) == 0)
        defer { close(fd) }
        let refused = try runBinary(["reset", "--state-dir", state])
        #expect(refused.status == 2)
        #expect(refused.stderr == "another checkout-sim is using \(state) (close it, or pass --force)\n")
        #expect(FileManager.default.fileExists(atPath: state + "/backend.sqlite"))
        let forced = try runBinary(["reset", "--state-dir", state, "--force"])
        #expect(forced.status == 0)
        #expect(!FileManager.default.fileExists(atPath: state + "/backend.sqlite"))
    }
}

/// A device that answers every write with ENOSPC: a node of our own in `folder` when we may
/// make one (as root, where a regression could replace the system's), else `/dev/full`.
func fullDevice(in folder: String) -> String {
    let path = folder + "/full"
    return mknod(path, S_IFCHR | 0o666, dev_t(1 << 8 | 7)) == 0 ? path : "/dev/full"
}

/// What a finished process left: its exit status and everything it printed.
struct ProcessOutput {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs the binary with no terminal (stdin from /dev/null), standard output and error to files.
func runBinary(_ arguments: [String], environment: [String] = ["TERM=xterm-256color", "LANG=C.UTF-8"]) throws -> ProcessOutput {
    try ChildProcess([binary] + arguments, environment: environment).finish()
}

/// The interface's side of the command line: the state directory lock and the terminal check.
@Suite("The interface and the command line", .serialized, .enabled(if: tmuxAvailable))
struct InterfaceCommandLineTests {
    @Test("reset refuses while an interface runs on the directory, and works once it quits")
    func resetWhileTheInterfaceRuns() throws {
        let state = freshStateDirectory()
        let tmux = try TmuxSession("'\(binary)' --state-dir '\(state)'")
        // The first frame is drawn in pieces under load: wait for the whole of it.
        let screen = tmux.waitUntil { $0.contains("No request yet") && $0.contains("Idempotency key") }
        #expect(screen.contains("Idempotency key"), "\(screen)")
        let refused = try runBinary(["reset", "--state-dir", state])
        #expect(refused.status == 2)
        #expect(refused.stderr == "another checkout-sim is using \(state) (close it, or pass --force)\n")
        try tmux.type("q")
        #expect(tmux.waitFor("EXIT=").contains("EXIT=0"))
        let done = try runBinary(["reset", "--state-dir", state])
        #expect(done.status == 0, "\(done.stderr)")
    }

    @Test("an unknown TERM exits 2 with a message instead of ncurses' exit 1")
    func unknownTerminal() throws {
        let tmux = try TmuxSession("'\(binary)' --state-dir '\(freshStateDirectory())'", environment: ["TERM": "xyz-unknown"])
        let screen = tmux.waitFor("EXIT=")
        #expect(screen.contains("checkout-sim: unknown terminal type \"xyz-unknown\" (TERM); try TERM=xterm-256color"))
        #expect(screen.contains("EXIT=2"), "\(screen)")
    }
}

@Suite("The built-in catalog from any directory", .serialized)
struct BuiltInCatalogEndToEndTests {
    @Test("outside the repository, list and run use the catalog inside the binary", arguments: installedBinaries)
    func listAndRun(app: String) throws {
        let elsewhere = freshStateDirectory()
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        let tmux = try TmuxSession("cd '\(elsewhere)' && '\(app)' list | head -3 && '\(app)' run | tail -1 && '\(app)' run 04-rotation | tail -1",
                                   width: 200)
        let screen = tmux.waitFor("EXIT=")
        #expect(screen.contains("builtin:01-first-validation.yaml"), "\(screen)")
        #expect(screen.contains(" passed, 0 failed"), "\(screen)")
        #expect(screen.contains("1 passed, 0 failed"), "\(screen)")
    }

    @Test("outside the repository, demo plays a built-in scenario by name to a green end", arguments: installedBinaries)
    func demoByName(app: String) throws {
        let elsewhere = freshStateDirectory()
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        let tmux = try TmuxSession("cd '\(elsewhere)' && '\(app)' demo 22-3ds-succeeded")
        tmux.waitFor("3-D Secure, authenticated")
        let screen = try tmux.type(" ", until: "end of scenario", tries: 12)
        #expect(screen.contains("0 failed"), "\(screen)")
        try tmux.press("Escape")
        #expect(tmux.waitFor("EXIT=").contains("EXIT=0"))
    }
}

@Suite("The version")
struct VersionEndToEndTests {
    @Test("--version prints the one version, on standard output, exit 0", arguments: installedBinaries)
    func version(app: String) throws {
        let output = try ChildProcess([app, "--version"], environment: ["LANG=C.UTF-8"]).finish()
        #expect(output.status == 0, "\(output)")
        #expect(output.stdout.wholeMatch(of: /[0-9]+\.[0-9]+\.[0-9]+\n/) != nil, "\(output.stdout)")
        let source = try String(contentsOf: repositoryRoot.appendingPathComponent("Sources/checkout-sim/Version.swift"), encoding: .utf8)
        #expect(source.contains("\"\(output.stdout.trimmingCharacters(in: .newlines))\""), "Version.swift does not set \(output.stdout)")
    }
}

@Suite("run: what nothing ran and a typo get")
struct RunTypoEndToEndTests {
    @Test("a catalog name with a typo gets a suggestion and no summary line", arguments: installedBinaries)
    func typo(app: String) throws {
        let output = try ChildProcess([app, "run", "04-rotaton"], environment: ["LANG=C.UTF-8"]).finish()
        #expect(output.status == 2)
        #expect(output.stderr == "04-rotaton: no such file or folder; did you mean 04-rotation?\n", "\(output.stderr)")
        #expect(!output.stdout.contains("passed"), "\(output.stdout)")
    }

    @Test("demo and export report every mistake of a broken file; a missing path has no made-up location")
    func everyMistakeEverywhere() throws {
        let folder = freshStateDirectory()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let broken = folder + "/broken.yaml"
        try "name: broken\nsteps:\n  - do: chekout\n  - do: pya\n".write(toFile: broken, atomically: false, encoding: .utf8)
        for command in ["demo", "export"] {
            let output = try runBinary([command, broken])
            #expect(output.status == 2)
            #expect(output.stderr == "\(broken):3:9: unknown action 'chekout'; did you mean 'checkout'?\n\(broken):4:9: unknown action 'pya'; did you mean 'pay'?\n",
                    "\(command): \(output.stderr)")
        }
        let junit = try runBinary(["run", folder + "/gone.yaml", "--format", "junit"])
        #expect(junit.stdout.contains(#"<error message="\#(folder)/gone.yaml: no such file or folder""#), "\(junit.stdout)")
        let typo = try runBinary(["demo", "33-paid-twice-after-another-tub"])
        #expect(typo.stderr.contains("did you mean 33-paid-twice-after-another-tab?"), "\(typo.stderr)")
    }

    @Test("a catalog scenario by its number", arguments: installedBinaries)
    func number(app: String) throws {
        let output = try ChildProcess([app, "run", "33"], environment: ["LANG=C.UTF-8"]).finish()
        #expect(output.status == 0 && output.stdout.hasSuffix("1 passed, 0 failed\n"), "\(output.stdout)\(output.stderr)")
    }
}
