#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Who is using a state directory: every interface holds a shared `flock` on
/// `DIR/.checkout-sim.lock` for its whole life, and `reset` takes it exclusively while it
/// deletes, so it never pulls files from under a running interface.
///
/// The lock lives as long as the value: keep it in a variable for as long as you use the
/// directory. The file is opened with `O_NOFOLLOW`, so a symlink in its place is never followed.
public final class StateDirectoryLock {
    public static let fileName = ".checkout-sim.lock"

    private let descriptor: Int32

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)  // releases the lock
    }

    /// Takes the shared lock, waiting up to a second for a `reset` in progress to finish;
    /// nil when the directory or its lock file cannot be opened (the interface then runs unguarded).
    public static func holdShared(directory: URL) -> StateDirectoryLock? {
        hold(directory: directory, operation: LOCK_SH, attempts: 100)
    }

    /// Takes the exclusive lock if no one holds the directory; nil when someone does
    /// (or the lock file cannot be opened: check `isHeld` to tell).
    public static func holdExclusive(directory: URL) -> StateDirectoryLock? {
        hold(directory: directory, operation: LOCK_EX, attempts: 1)
    }

    /// Whether a running interface holds the directory. Creates nothing.
    public static func isHeld(directory: URL) -> Bool {
        let fd = open(path(in: directory), O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return !lock(fd, LOCK_EX | LOCK_NB)
    }

    static func path(in directory: URL) -> String {
        StateFiles.path(directory, fileName)
    }

    private static func hold(directory: URL, operation: Int32, attempts: Int) -> StateDirectoryLock? {
        let path = path(in: directory)
        for attempt in 1...attempts {
            let fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o644)
            guard fd >= 0 else { return nil }
            if lock(fd, operation | LOCK_NB) {
                // `reset` may have removed the file after we opened it: a lock on a deleted
                // file guards nothing, so only keep it while the path still names our file.
                if sameFile(fd, path) { return StateDirectoryLock(descriptor: fd) }
            } else if attempt < attempts {
                usleep(10_000)
            }
            close(fd)
        }
        return nil
    }

    private static func lock(_ fd: Int32, _ operation: Int32) -> Bool {
        while flock(fd, operation) != 0 {
            if errno != EINTR { return false }
        }
        return true
    }

    private static func sameFile(_ fd: Int32, _ path: String) -> Bool {
        var open = stat(), named = stat()
        return fstat(fd, &open) == 0 && lstat(path, &named) == 0 && open.st_ino == named.st_ino && open.st_dev == named.st_dev
    }
}
