import Foundation

/// A folder of its own under the system's temporary directory, for one test: created
/// empty, and removed with everything in it by `remove()`, or when the last reference
/// to it goes. Keep it as a stored property of the suite (Swift Testing makes a suite
/// value for each test and drops it after the test), or call `remove()` in a `defer`:
/// a local that is never used again may be released, and its folder removed, early.
public final class TemporaryDirectory: Sendable {
    public let url: URL

    /// `<temporary directory>/<prefix>-<UUID>`, created now.
    public init(_ prefix: String = "checkout-sim") {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            preconditionFailure("cannot create \(url.path): \(error)")
        }
    }

    deinit { remove() }

    public var path: String { url.path }

    /// `name` inside it, not created (a file, or a folder the code under test makes itself).
    public func appending(_ name: String) -> URL { url.appendingPathComponent(name) }

    /// A new empty folder inside it, `name` or a name of its own (created with its parents).
    public func folder(_ name: String = UUID().uuidString) -> URL {
        let folder = appending(name)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            preconditionFailure("cannot create \(folder.path): \(error)")
        }
        return folder
    }

    /// Removes the folder and everything in it (again: nothing).
    public func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}

/// Runs `body` with a new temporary folder, removed when `body` returns or throws.
public func withTemporaryDirectory<T>(_ prefix: String = "checkout-sim", _ body: (URL) throws -> T) rethrows -> T {
    let directory = TemporaryDirectory(prefix)
    defer { directory.remove() }
    return try body(directory.url)
}

/// Runs `body` with a new temporary folder, removed when `body` returns or throws.
public func withTemporaryDirectory<T>(_ prefix: String = "checkout-sim", _ body: (URL) async throws -> T) async rethrows -> T {
    let directory = TemporaryDirectory(prefix)
    defer { directory.remove() }
    return try await body(directory.url)
}
