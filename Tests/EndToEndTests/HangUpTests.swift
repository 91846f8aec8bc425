import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The terminal goes away without a SIGHUP reaching the app (a closed window whose
/// terminal was not the app's controlling one): the app must notice and exit, not
/// spin on failed reads. A pseudo-terminal of the test's own stands in for the window.
@Suite("The terminal going away")
struct HangUpTests {
    @Test("closing the terminal ends the app with 129, without a signal")
    func closedTerminal() throws {
        let terminal = try PseudoTerminal(width: 100, height: 30)
        let pid = try terminal.spawn([binary, "--state-dir", freshStateDirectory()], environment: ["TERM=xterm-256color"])
        defer { kill(pid, SIGKILL); _ = waitpid(pid, nil, WNOHANG) }

        let output = terminal.read(until: "quit", seconds: 15)
        #expect(output.contains("quit"), "no first frame: \(output.suffix(300))")

        terminal.close()
        let status = waitForExit(pid, seconds: 10)
        let exited = try #require(status, "the app is still running after its terminal closed")
        #expect(exited == 129)
    }

    /// The exit status, or nil if the process is still running after `seconds`.
    private func waitForExit(_ pid: pid_t, seconds: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        var status: Int32 = 0
        while Date() < deadline {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid {
                return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
            }
            usleep(20_000)
        }
        return nil
    }
}

/// A pseudo-terminal pair: the test holds the master side, the app gets the slave.
final class PseudoTerminal {
    private var master: Int32
    private let slavePath: String

    init(width: UInt16, height: UInt16) throws {
        // posix_openpt, unlockpt and ptsname are not visible from Swift's Glibc; these are their Linux bodies.
        // Close-on-exec: a master side inherited by the app would keep its terminal alive.
        master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        var unlock: Int32 = 0, number: UInt32 = 0
        let setLock: UInt = 0x4004_5431, getNumber: UInt = 0x8004_5430  // TIOCSPTLCK, TIOCGPTN
        guard master >= 0, ioctl(master, setLock, &unlock) == 0, ioctl(master, getNumber, &number) == 0 else {
            throw POSIXError(.ENXIO)
        }
        slavePath = "/dev/pts/\(number)"
        var size = winsize(ws_row: height, ws_col: width, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(TIOCSWINSZ), &size)
    }

    deinit { close() }

    /// Starts `argv` with the slave side as its standard input, output and error.
    /// It stays in the test's session, so the terminal is not its controlling one.
    func spawn(_ argv: [String], environment: [String]) throws -> pid_t {
        try startProcess(argv, environment: environment) { actions in
            for descriptor in Int32(0)...2 {
                posix_spawn_file_actions_addopen(&actions, descriptor, slavePath, O_RDWR | O_NOCTTY, 0)
            }
        }
    }

    /// Reads what the app writes until `marker` appears or `seconds` pass.
    func read(until marker: String, seconds: Double) -> String {
        let deadline = Date().addingTimeInterval(seconds)
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline {
            var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 100) > 0 else { continue }
            let count = Glibc.read(master, &buffer, buffer.count)
            if count <= 0 { break }
            bytes += buffer[0..<count]
            if String(decoding: bytes, as: UTF8.self).contains(marker) { break }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Closes the master side: for the app, the window is gone.
    func close() {
        guard master >= 0 else { return }
        Glibc.close(master)
        master = -1
    }
}
