import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A `localStorage` kept in one JSON file of a state directory, shared safely by
/// several processes (browser tabs).
///
/// Every write takes an exclusive advisory lock (`flock`) on a lock file, reads
/// the current file, applies the change, writes a temporary file, `fsync`s it and
/// renames it over the old one, so a reader sees either the old or the new file
/// and two writers never interleave. A file that cannot be parsed is moved aside
/// (never deleted) and reported through `drainNotices()`; the storage then
/// continues empty.
public final class FileKeyValueStorage: KeyValueStorage {
    /// The file name used inside a state directory.
    public static let fileName = "localStorage.json"

    /// Where the values live.
    public let url: URL
    /// `url.path` and the lock file's path, worked out once: `URL.path` is not free,
    /// and the file is checked on every read.
    private let path: String
    private let lockPath: String
    private var notices: [String] = []
    /// Test seam: called after the temporary file is written and before the
    /// rename. Throwing from it aborts the write and leaves the old value.
    public var beforeRename: (() throws -> Void)?

    /// Opens (creating if needed) the storage file of `directory`.
    public init(directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        url = directory.appendingPathComponent(Self.fileName)
        path = url.path
        lockPath = path + ".lock"
    }

    public func value(forKey key: String) -> String? { readValues()[key] }

    public func allValues() -> [String: String] { readValues() }

    public func setValue(_ value: String, forKey key: String) throws {
        try update { $0[key] = value }
    }

    public func removeValue(forKey key: String) throws {
        try update { $0[key] = nil }
    }

    public func drainNotices() -> [String] {
        _ = readValues()
        defer { notices.removeAll() }
        return notices
    }

    // MARK: - Reading

    /// The last file read and what identified it: writes replace the file by
    /// rename, so an unchanged inode, size and mtime means unchanged content.
    private var cache: (identity: FileIdentity, values: [String: String])?

    private func readValues() -> [String: String] {
        guard let current = FileIdentity(path: path) else {
            // No file yet: empty. Writers create it by rename, so there is nothing to lock against.
            cache = nil
            return [:]
        }
        if let cache, current == cache.identity { return cache.values }
        return withLock(LOCK_SH) {
            let identity = FileIdentity(path: path)
            let values = loadUnlocked()
            if let identity { cache = (identity, values) } else { cache = nil }
            return values
        } ?? [:]
    }

    /// Reads the file; a corrupt one is moved aside. Must hold the lock.
    private func loadUnlocked() -> [String: String] {
        guard let data = FileManager.default.contents(atPath: path) else { return [:] }
        if let object = try? JSONSerialization.jsonObject(with: data),
           let dictionary = object as? [String: Any] {
            var values: [String: String] = [:]
            var wrongTypes = false
            for (key, value) in dictionary {
                if let string = value as? String { values[key] = string } else { wrongTypes = true }
            }
            if !wrongTypes { return values }
        }
        moveAside(reason: data.isEmpty ? "empty" : "not a JSON object of strings")
        return [:]
    }

    private func moveAside(reason: String) {
        let stamp = Int(Date().timeIntervalSince1970 * 1000)
        var target = url.appendingPathExtension("corrupt-\(stamp)")
        var suffix = 1
        while FileManager.default.fileExists(atPath: target.path) {
            target = url.appendingPathExtension("corrupt-\(stamp)-\(suffix)")
            suffix += 1
        }
        if (try? FileManager.default.moveItem(at: url, to: target)) != nil {
            notices.append("localStorage file was \(reason); moved aside to \(target.lastPathComponent), starting empty")
        } else {
            notices.append("localStorage file was \(reason) and could not be moved aside; starting empty")
        }
    }

    // MARK: - Writing

    private func update(_ change: (inout [String: String]) -> Void) throws {
        let result: Result<Void, Error>? = withLock(LOCK_EX) {
            var values = loadUnlocked()
            change(&values)
            return Result { try writeUnlocked(values) }
        }
        guard let result else { throw StorageError.lockUnavailable(lockPath) }
        try result.get()
    }

    private func writeUnlocked(_ values: [String: String]) throws {
        let data = try JSONSerialization.data(withJSONObject: values, options: [.sortedKeys])
        let temp = url.deletingLastPathComponent()
            .appendingPathComponent(".\(Self.fileName).\(getpid()).tmp")
        guard FileManager.default.createFile(atPath: temp.path, contents: nil) else {
            throw StorageError.writeFailed(temp.path)
        }
        let handle = try FileHandle(forWritingTo: temp)
        do {
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try handle.close()
            try beforeRename?()
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(at: temp)
            throw error
        }
        guard rename(temp.path, path) == 0 else {
            try? FileManager.default.removeItem(at: temp)
            throw StorageError.writeFailed(path)
        }
    }

    // MARK: - Locking

    private func withLock<T>(_ operation: Int32, _ body: () -> T) -> T? {
        let fd = open(lockPath, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        while flock(fd, operation) != 0 {
            if errno != EINTR { return nil }
        }
        defer { flock(fd, LOCK_UN) }
        return body()
    }
}

/// What identifies one version of a file.
struct FileIdentity: Equatable {
    let device: UInt64, inode: UInt64, size: Int64, seconds: Int, nanoseconds: Int

    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        seconds = Int(info.st_mtim.tv_sec)
        nanoseconds = Int(info.st_mtim.tv_nsec)
    }
}

/// Failures of the file-backed storage.
public enum StorageError: Error, CustomStringConvertible, Equatable {
    case lockUnavailable(String)
    case writeFailed(String)

    public var description: String {
        switch self {
        case .lockUnavailable(let path): "cannot lock \(path)"
        case .writeFailed(let path): "cannot write \(path)"
        }
    }
}
