import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Checks shared by the files of a state directory: the folder is created with
/// plain `mkdir`, so a failure can be said in words, and no state file may be a
/// symbolic link (it would make the app read or create files outside the folder).
public enum StateFiles {
    /// The files checkout-sim writes in a state directory, and only those (`reset` removes these).
    public static let ownedNames: Set<String> = [
        "backend.sqlite", "backend.sqlite-wal", "backend.sqlite-shm", "localStorage.json", "localStorage.json.lock",
        StateDirectoryLock.fileName,
    ]

    /// One of `ownedNames`, or a temporary file a crashed write left: `.localStorage.json.<pid>.tmp`.
    public static func isOwned(_ name: String) -> Bool {
        if ownedNames.contains(name) { return true }
        let prefix = ".localStorage.json.", suffix = ".tmp"
        guard name.hasPrefix(prefix), name.hasSuffix(suffix), name.count > prefix.count + suffix.count else { return false }
        let pid = name.dropFirst(prefix.count).dropLast(suffix.count)
        return pid.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// Whether `path` is a folder itself (a link to one is not).
    public static func isFolder(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Creates `directory` and its parents when missing.
    public static func prepareDirectory(_ directory: URL) throws {
        let path = fileSystemPath(directory)
        var info = stat()
        if stat(path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR else { throw StateFileError.notADirectory(path) }
            return
        }
        var built = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            // Concrete String appends: the generic ones cost 100k instructions each at start-up.
            built.append("/")
            built.append(String(component))
            if mkdir(built, 0o755) != 0 {
                let code = errno
                if code == EEXIST {
                    if stat(built, &info) == 0, info.st_mode & S_IFMT == S_IFDIR { continue }
                    throw StateFileError.notADirectory(built)
                }
                throw StateFileError.cannotCreate(path, reason: words(code))
            }
        }
    }

    /// Throws when `name` inside `directory` is a symbolic link, or exists and is
    /// neither a regular file nor absent.
    public static func refuseLinks(in directory: URL, names: [String]) throws {
        let base = fileSystemPath(directory)
        for name in names {
            var info = stat()
            let path = base.hasSuffix("/") ? base + name : base + "/" + name
            guard lstat(path, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFREG: continue
            case S_IFLNK: throw StateFileError.symbolicLink(name)
            case S_IFDIR: throw StateFileError.notARegularFile(name, kind: "a folder")
            default: throw StateFileError.notARegularFile(name, kind: "not a regular file")
            }
        }
    }

    /// Any error in words: a `StateFileError` or `StorageError` as it says itself, a
    /// Foundation error by its POSIX cause (not "NSCocoaErrorDomain error 512").
    public static func describe(_ error: Error) -> String {
        if let error = error as? StateFileError { return error.description }
        if let error = error as? StorageError { return error.description }
        if let posix = error as? POSIXError { return words(posix.code.rawValue) }
        guard error is CocoaError || type(of: error) is NSError.Type else {
            return UntrustedText.escaped(String(describing: error))  // our own errors say themselves
        }
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return words(Int32(underlying.code))
        }
        if ns.domain == NSPOSIXErrorDomain { return words(Int32(ns.code)) }
        return UntrustedText.escaped(ns.localizedDescription)
    }

    /// Writes all of `data` to `fd`, going on after interruptions; `nil`, or the `errno`
    /// of the failure (ENOSPC, EIO).
    public static func writeAll(_ data: Data, to fd: Int32) -> Int32? {
        data.withUnsafeBytes { buffer -> Int32? in
            var offset = 0
            while offset < buffer.count {
                let count = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if count < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += count
            }
            return nil
        }
    }

    /// `directory/name` as a path, without `URL.appendingPathComponent`, which asks the file
    /// system whether the result is a folder: a measurable part of the start-up.
    public static func path(_ directory: URL, _ name: String) -> String {
        let base = fileSystemPath(directory)
        return base.hasSuffix("/") ? base + name : base + "/" + name
    }

    /// `url.path`, read off the URL's text for the file URLs this program makes: the
    /// first `URL.path` of a process builds a table in Foundation and searches every conformance.
    public static func fileSystemPath(_ url: URL) -> String {
        let text = url.absoluteString.utf8
        let scheme = "file://".utf8
        guard text.starts(with: scheme) else { return url.path }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count)
        var rest = text.dropFirst(scheme.count)[...]
        guard rest.first == UInt8(ascii: "/") else { return url.path }  // a host, which `path` leaves out
        while let byte = rest.popFirst() {
            switch byte {
            case UInt8(ascii: "%"):
                guard let high = rest.popFirst().flatMap(hexValue), let low = rest.popFirst().flatMap(hexValue) else { return url.path }
                bytes.append(high << 4 | low)
            case UInt8(ascii: "?"), UInt8(ascii: "#"), UInt8(ascii: ";"):
                return url.path  // a query, a fragment or parameters: not a URL made from a path
            default:
                bytes.append(byte)
            }
        }
        if bytes.count > 1, bytes.last == UInt8(ascii: "/") { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// `strerror` for `code`, in lower case: "permission denied".
    public static func words(_ code: Int32) -> String {
        let text = String(cString: strerror(code))
        return text.prefix(1).lowercased() + text.dropFirst()
    }
}

/// Why a state directory or one of its files cannot be used, in words.
public enum StateFileError: Error, CustomStringConvertible, Equatable {
    case notADirectory(String)
    case cannotCreate(String, reason: String)
    case symbolicLink(String)
    case notARegularFile(String, kind: String)

    public var description: String {
        switch self {
        case .notADirectory(let path):
            "\(UntrustedText.escaped(path)) is a file, not a folder"
        case .cannotCreate(let path, let reason):
            "cannot create \(UntrustedText.escaped(path)): \(reason)"
        case .symbolicLink(let name):
            "\(UntrustedText.escaped(name)) is a symbolic link; checkout-sim does not follow links in its state directory (remove it, or use another --state-dir)"
        case .notARegularFile(let name, let kind):
            "\(UntrustedText.escaped(name)) is \(kind), not a file checkout-sim can use (move it away, or use another --state-dir)"
        }
    }
}
