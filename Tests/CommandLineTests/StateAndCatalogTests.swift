import Foundation
import CheckoutCore
import Simulation
import Testing
import TerminalUI
import TestSupport

@testable import checkout_sim

/// What `reset` may delete, how the interface finds a terminal description, and how the
/// scenario picker lists files that cannot be played.
@Suite struct StateAndCatalogTests {
    @Test(arguments: [
        "backend.sqlite", "backend.sqlite-wal", "backend.sqlite-shm", "localStorage.json", "localStorage.json.lock",
        ".checkout-sim.lock", ".localStorage.json.123.tmp",
    ])
    func resetOwns(_ name: String) {
        #expect(StateFiles.isOwned(name))
    }

    @Test(arguments: [
        "backend.sqlite.backup", "backend.sqlite.corrupt-2026", "localStorage.json.bak", "backend.sqlite-journal",
        ".localStorage.json.tmp", ".localStorage.json.12a.tmp", ".localStorage.json..tmp", "localStorage.jsonx", "notes.txt",
        ".localStorage.json.١٢.tmp",
    ])
    func resetLeavesAlone(_ name: String) {
        #expect(!StateFiles.isOwned(name))
    }

    private let temporary = TemporaryDirectory("cs-cli")

    @Test func terminalDescriptionsAreFoundWhereNcursesLooks() throws {
        let terminfo = temporary.folder().path
        try FileManager.default.createDirectory(atPath: terminfo + "/x", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: terminfo + "/6d", withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: terminfo + "/x/xmine", contents: Data()))
        #expect(FileManager.default.createFile(atPath: terminfo + "/6d/mine-hex", contents: Data()))
        let environment: (String) -> String? = { $0 == "TERMINFO" ? terminfo : nil }
        #expect(TerminalType.isKnown("xmine", environment: environment))
        #expect(TerminalType.isKnown("mine-hex", environment: environment))
        #expect(!TerminalType.isKnown("xyz-no-such-terminal", environment: environment))
        #expect(!TerminalType.isKnown("", environment: environment))
        #expect(!TerminalType.isKnown("../x/xmine", environment: environment))
        let list: (String) -> String? = { $0 == "TERMINFO_DIRS" ? "/nonexistent:" + terminfo : nil }
        #expect(TerminalType.isKnown("xmine", environment: list))
    }

    @Test("--scenarios adds its folder's files to the picker, after the catalog")
    func extraFolders() throws {
        let extra = temporary.folder().path
        try "name: mine\nsteps:\n  - do: checkout\n".write(toFile: extra + "/mine.yaml", atomically: true, encoding: .utf8)
        let entries = ScenarioCatalog.entries(in: ["scenarios", extra])
        #expect(entries.count > 30)
        #expect(entries.last?.name == "mine" && entries.last?.file == extra + "/mine.yaml")
        #expect(try TUICommand.parse(["--scenarios", extra, "--scenarios", "more"]).options.scenarioFolders == [extra, "more"])
    }

    @Test func thePickerListsUnusableFilesWithTheirError() throws {
        let scenarios = temporary.folder().path
        try "name: good\ndescription: plays\nsteps:\n  - do: checkout\n".write(toFile: scenarios + "/a.yaml", atomically: true, encoding: .utf8)
        try "name: ~\nsteps: []\n".write(toFile: scenarios + "/b.yaml", atomically: true, encoding: .utf8)
        let entries = ScenarioCatalog.entries(in: [scenarios])
        #expect(entries.map(\.file) == [scenarios + "/a.yaml", scenarios + "/b.yaml"])
        #expect(entries[0].error == nil && entries[0].name == "good")
        #expect(entries[1].error == "\(scenarios)/b.yaml:1:7: the scenario's name must not be empty")

        let model = AppModel(simulation: Simulation(configuration: SimulationConfiguration(seed: 1)), stateLabel: "test")
        let hook = try FrontEndHook(recordPath: nil, model: model)
        hook.startPresenter(entries[1], model: model)
        #expect(model.presenter == nil)
        #expect(model.status == entries[1].error)
        hook.startPresenter(entries[0], model: model)
        #expect(model.presenter != nil)
    }
}

@Suite("Where R writes recordings")
struct RecordingPlaceTests {
    private let temporary = TemporaryDirectory("cs-rec")

    @Test("recordings go to the state directory's recordings/, numbered past those there")
    func numberedInTheStateDirectory() throws {
        let state = temporary.appending("state")
        let first = try FrontEndHook.freshRecordingPath(in: state)
        #expect(first == state.path + "/recordings/recording-1.yaml")
        #expect(FileManager.default.createFile(atPath: first, contents: Data("x".utf8)))
        #expect(try FrontEndHook.freshRecordingPath(in: state) == state.path + "/recordings/recording-2.yaml")
    }
}
