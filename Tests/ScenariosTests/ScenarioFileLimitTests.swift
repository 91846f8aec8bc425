import Foundation
import Testing
@testable import Scenarios
import TestSupport

/// Scenario files are capped before they are read, and a blank name is a mistake with a position.
@Suite("Scenario file limits")
struct ScenarioFileLimitTests {
    private let temporary = TemporaryDirectory("cs-limits")

    private func temporaryFile(_ name: String) -> String { temporary.folder().appendingPathComponent(name).path }

    @Test("a 31 MB file is refused by its size, with a true message")
    func largeFileIsRefusedBeforeReading() throws {
        let path = temporaryFile("big.yaml")
        // Sparse. Refused from its size (reading would stop past 4 MB with another message).
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 31 * 1_048_576)
        try handle.close()
        #expect(throws: ScenarioParseError(file: path, line: 1, column: 1,
                                           message: "the file is 31 MB; scenario files are limited to 4 MB")) {
            try ScenarioParser.parse(contentsOf: path)
        }
    }

    @Test("a file just over 4 MB is refused; the limit is 4 MB")
    func limit() throws {
        #expect(ScenarioParser.maxFileBytes == 4 * 1_048_576)
        let data = Data(repeating: UInt8(ascii: " "), count: ScenarioParser.maxFileBytes + 1)
        #expect(throws: ScenarioParseError(file: "x.yaml", line: 1, column: 1,
                                           message: "the file is 4.0 MB; scenario files are limited to 4 MB")) {
            try ScenarioParser.parse(data: data, file: "x.yaml")
        }
    }

    @Test("an endless file (a device) stops being read past the limit")
    func endlessFile() {
        #expect(throws: ScenarioParseError(file: "/dev/zero", line: 1, column: 1,
                                           message: "the file is larger than 4 MB; scenario files are limited to that")) {
            try ScenarioParser.parse(contentsOf: "/dev/zero")
        }
    }

    @Test("blank names are rejected with their position", arguments: [
        "name: ~\nsteps: []\n", "name: ''\nsteps: []\n", "name: \"   \"\nsteps: []\n", "name: null\nsteps: []\n",
        "name:\nsteps: []\n",
    ])
    func blankName(_ yaml: String) {
        switch parse(yaml) {
        case .success(let scenario): Issue.record("accepted the name \(scenario.name.debugDescription)")
        case .failure(let error):
            #expect(error.message == "the scenario's name must not be empty")
            #expect(error.line == 1 && error.column >= 6, "\(error.description)")
        }
    }

    @Test func quotedWordsAreNames() throws {
        #expect(try parse("name: 'null'\nsteps: []\n").get().name == "null")
        #expect(try parse("name: \"~\"\nsteps: []\n").get().name == "~")
    }
}
