import Foundation
import Testing
@testable import Scenarios

#if canImport(Glibc)
import Glibc
import TestSupport
#endif

/// `--output`: regular files replaced atomically, symlinks and devices left what they are.
@Suite("Output files")
struct OutputFileTests {
    private let temporary = TemporaryDirectory("cs-output")
    private var folder: String { temporary.path }

    private func contents(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

    private func fileType(_ path: String) -> FileAttributeType? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType
    }

    @Test func aRegularFileIsReplacedWholeAndKeepsItsMode() throws {
        let path = folder + "/report.xml"
        try "old and longer".write(toFile: path, atomically: false, encoding: .utf8)
        chmod(path, 0o640)
        try OutputFile.write(Data("new".utf8), to: path)
        #expect(contents(path) == "new")
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o640)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["report.xml"], "no temporary file left")
    }

    @Test func aSymlinkStaysAndItsTargetIsWritten() throws {
        try FileManager.default.createDirectory(atPath: folder + "/reports", withIntermediateDirectories: true)
        try "old".write(toFile: folder + "/real.xml", atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: folder + "/reports/link.xml", withDestinationPath: "../real.xml")
        try OutputFile.write(Data("new".utf8), to: folder + "/reports/link.xml")
        #expect(fileType(folder + "/reports/link.xml") == .typeSymbolicLink)
        #expect(contents(folder + "/real.xml") == "new")
    }

    @Test func aDanglingSymlinkCreatesItsTarget() throws {
        try FileManager.default.createSymbolicLink(atPath: folder + "/link.xml", withDestinationPath: folder + "/target.xml")
        try OutputFile.write(Data("new".utf8), to: folder + "/link.xml")
        #expect(fileType(folder + "/link.xml") == .typeSymbolicLink)
        #expect(contents(folder + "/target.xml") == "new")
    }

    @Test func aFIFOIsWrittenInPlace() throws {
        let path = folder + "/pipe"
        #expect(mkfifo(path, 0o600) == 0)
        let reader = open(path, O_RDONLY | O_NONBLOCK)
        #expect(reader >= 0)
        defer { close(reader) }
        try OutputFile.write(Data("through the pipe".utf8), to: path)
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = read(reader, &buffer, buffer.count)
        #expect(String(decoding: buffer.prefix(max(count, 0)), as: UTF8.self) == "through the pipe")
        #expect(fileType(path) == .typeUnknown || fileType(path) != .typeRegular)
    }

    @Test func aFullDeviceIsAnErrorInWords() {
        // A node of our own when we may make one (as root a regression would replace /dev/full).
        let full = mknod(folder + "/full", S_IFCHR | 0o666, dev_t(1 << 8 | 7)) == 0 ? folder + "/full" : "/dev/full"
        #expect(throws: OutputFile.WriteError(path: full, reason: "no space left on device")) {
            try OutputFile.write(Data("x".utf8), to: full)
        }
        #expect(OutputFile.WriteError(path: "/dev/full", reason: "no space left on device").description
                == "cannot write /dev/full: no space left on device")
        #expect(fileType(full) == .typeCharacterSpecial)
    }

    @Test func standardOutputIsNeverReplaced() {
        #expect(OutputFile.destination(of: "/dev/stdout") == .inPlace)
        #expect(OutputFile.destination(of: "/proc/self/fd/1") == .inPlace)
        #expect(OutputFile.destination(of: "/dev/null") == .inPlace)
    }

    @Test func aFolderOrAMissingFolderIsRefused() {
        #expect(throws: OutputFile.WriteError(path: folder, reason: "it is a folder")) {
            try OutputFile.write(Data(), to: folder)
        }
        #expect(throws: OutputFile.WriteError(path: folder + "/none/x", reason: "no such file or directory")) {
            try OutputFile.write(Data(), to: folder + "/none/x")
        }
    }

    @Test func theMessageEscapesThePath() {
        #expect(OutputFile.WriteError(path: "a\u{1B}[2J", reason: "x").description == "cannot write a\\e[2J: x")
    }
}
