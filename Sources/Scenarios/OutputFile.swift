import CheckoutCore
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Writes a report (or a recording) where the user pointed, without breaking what is there:
/// a regular file is replaced atomically (a temporary file in the same folder, then `rename`),
/// a symlink keeps pointing where it did and its target is replaced, and anything that is not
/// a regular file (a device, a FIFO, `/dev/stdout`) is opened and written in place.
public enum OutputFile {
    /// Why a write failed, in words: `cannot write PATH: No space left on device`.
    public struct WriteError: Error, CustomStringConvertible, Equatable {
        public var path: String
        public var reason: String

        public var description: String { "cannot write \(UntrustedText.escaped(path)): \(UntrustedText.escaped(reason))" }
    }

    public static func write(_ data: Data, to path: String) throws(WriteError) {
        switch destination(of: path) {
        case .replace(let target): try replaceAtomically(target, with: data, reportedAs: path)
        case .inPlace: try writeInPlace(path, data)
        case .refuse(let reason): throw WriteError(path: path, reason: reason)
        }
    }

    /// Whether `path` is the file open as `descriptor` (`/dev/stdout` for 1, or the file
    /// standard output was redirected to): then nothing else should be printed there.
    public static func isOpen(_ path: String, as descriptor: Int32) -> Bool {
        var named = stat(), open = stat()
        return stat(path, &named) == 0 && fstat(descriptor, &open) == 0
            && named.st_dev == open.st_dev && named.st_ino == open.st_ino
    }

    enum Destination: Equatable {
        /// A regular file (or none yet) at this path, reached through any symlinks.
        case replace(String)
        case inPlace
        case refuse(String)
    }

    static func destination(of path: String) -> Destination {
        var target = path
        for _ in 0..<40 {
            var info = stat()
            guard lstat(target, &info) == 0 else {
                return errno == ENOENT ? .replace(target) : .refuse(reason(errno))
            }
            switch info.st_mode & S_IFMT {
            case S_IFREG: return .replace(target)
            case S_IFDIR: return .refuse("it is a folder")
            case S_IFLNK:
                // /dev/stdout, /dev/fd/N, /proc/self/fd/N: one of our open files, never to be replaced.
                if isPseudoFile(target) { return .inPlace }
                guard let link = readLink(target) else { return .refuse(reason(errno)) }
                let folder = (target as NSString).deletingLastPathComponent
                target = link.hasPrefix("/") || folder.isEmpty ? link : folder + "/" + link
            default: return .inPlace
            }
        }
        return .refuse(reason(ELOOP))
    }

    private static func isPseudoFile(_ path: String) -> Bool {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return absolute.hasPrefix("/dev/") || absolute.hasPrefix("/proc/")
    }

    private static func readLink(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { return nil }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Writes `.NAME.PID.N.tmp` next to `target`, keeps the old file's permissions, renames over it.
    private static func replaceAtomically(_ target: String, with data: Data, reportedAs path: String) throws(WriteError) {
        let folder = (target as NSString).deletingLastPathComponent
        let name = (target as NSString).lastPathComponent
        var existing = stat()
        let kept: mode_t? = stat(target, &existing) == 0 ? existing.st_mode & 0o7777 : nil
        var temporary = ""
        var fd: Int32 = -1
        for attempt in 0..<100 {
            temporary = (folder.isEmpty ? "" : folder + "/") + ".\(name).\(getpid()).\(attempt).tmp"
            fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, kept ?? 0o666)
            if fd >= 0 || errno != EEXIST { break }
        }
        guard fd >= 0 else { throw WriteError(path: path, reason: reason(errno)) }
        var failure = StateFiles.writeAll(data, to: fd)
        // A new file gets the umask's permissions; a replaced one keeps its own.
        if failure == nil, let kept, fchmod(fd, kept) != 0 { failure = errno }
        if failure == nil, fsync(fd) != 0 { failure = errno }
        if close(fd) != 0, failure == nil { failure = errno }
        if failure == nil, rename(temporary, target) != 0 { failure = errno }
        if let failure {
            unlink(temporary)
            throw WriteError(path: path, reason: reason(failure))
        }
    }

    /// Appends, so `/dev/stdout` redirected to a file keeps what was printed before.
    private static func writeInPlace(_ path: String, _ data: Data) throws(WriteError) {
        let fd = open(path, O_WRONLY | O_APPEND | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else { throw WriteError(path: path, reason: reason(errno)) }
        var failure = StateFiles.writeAll(data, to: fd)
        if close(fd) != 0, failure == nil { failure = errno }
        if let failure { throw WriteError(path: path, reason: reason(failure)) }
    }

    private static func reason(_ code: Int32) -> String { StateFiles.words(code) }
}
