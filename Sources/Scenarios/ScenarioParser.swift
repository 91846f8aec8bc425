import CheckoutCore
import Foundation
import Simulation
import MockBackend
import Yams

/// Reads scenario files (format version 1, see docs/scenarios.md).
public enum ScenarioParser {
    /// Files larger than this are refused before they are read: a scenario is a page or two,
    /// and YAML costs about a hundred times its size in memory to compose.
    public static let maxFileBytes = 4 * 1024 * 1024
    /// Deeper nesting than this is refused before the YAML parser sees it.
    public static let maxNesting = 64

    /// Parses the file at `path`. Its size is checked by `stat` first, and the read stops
    /// past the limit too (a file that grows, a FIFO, `/dev/zero`).
    /// A `builtin:` label names a file of the built-in catalog (when no such path is on disk).
    public static func parse(contentsOf path: String) throws -> Scenario {
        if let text = BuiltInCatalog.text(forLabel: path), !FileManager.default.fileExists(atPath: path) {
            return try parse(yaml: text, file: path)
        }
        var info = stat()
        if stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) > maxFileBytes {
            throw tooLarge(path, bytes: Int(info.st_size))
        }
        return try parse(data: try readBounded(path), file: path)
    }

    /// Parses raw bytes that claim to be a scenario.
    public static func parse(data: Data, file: String) throws -> Scenario {
        guard data.count <= maxFileBytes else { throw tooLarge(file, bytes: data.count) }
        guard let text = String(data: data, encoding: .utf8) else {
            let offset = firstInvalidUTF8Offset(data)
            let (line, column) = position(ofByte: offset, in: data)
            throw ScenarioParseError(file: file, line: line, column: column, message: "the file is not UTF-8 text (byte \(offset))")
        }
        return try parse(yaml: text, file: file)
    }

    private static func tooLarge(_ file: String, bytes: Int) -> ScenarioParseError {
        let megabytes = Double(bytes) / 1_048_576
        let size = megabytes < 10 ? String(format: "%.1f", megabytes) : String(format: "%.0f", megabytes)
        return ScenarioParseError(file: file, line: 1, column: 1,
                                  message: "the file is \(size) MB; scenario files are limited to \(maxFileBytes / 1_048_576) MB")
    }

    /// Reads at most `maxFileBytes + 1` bytes: enough to know the file is too large.
    private static func readBounded(_ path: String) throws -> Data {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            throw ScenarioParseError(file: path, line: 1, column: 1, message: "cannot read the file: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while data.count <= maxFileBytes {
            let count = read(fd, &buffer, buffer.count)
            if count == 0 || (count < 0 && errno == EAGAIN) { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw ScenarioParseError(file: path, line: 1, column: 1, message: "cannot read the file: \(String(cString: strerror(errno)))")
            }
            data.append(contentsOf: buffer[..<count])
        }
        guard data.count <= maxFileBytes else {
            throw ScenarioParseError(file: path, line: 1, column: 1,
                                     message: "the file is larger than \(maxFileBytes / 1_048_576) MB; scenario files are limited to that")
        }
        return data
    }

    /// Parses YAML text.
    public static func parse(yaml text: String, file: String) throws -> Scenario {
        try ScenarioDecoder(reader: YAMLReader(file: file)).scenario(compose(text, file: file))
    }

    /// Parses what a `backend:` step holds, or a list of them, as YAML or JSON
    /// (the admin API's body): `"rotate"`, `{"latency": "2s"}`, `["rotate", "disarm_all"]`.
    /// Errors are located as in a scenario file.
    public static func backendActions(yaml text: String, file: String) throws -> [Action] {
        let root = try compose(text, file: file)
        return try ScenarioDecoder(reader: YAMLReader(file: file)).backendActions(root)
    }

    private static func compose(_ text: String, file: String) throws -> Node {
        if let (line, column) = excessiveNesting(text) {
            throw ScenarioParseError(file: file, line: line, column: column,
                                     message: "nesting deeper than \(maxNesting) levels")
        }
        if let index = text.unicodeScalars.firstIndex(where: { $0.value == 0 }) {
            let prefix = text.unicodeScalars[..<index]
            let line = prefix.filter { $0 == "\n" }.count + 1
            let column = prefix.count - (prefix.lastIndex(of: "\n").map { prefix.distance(from: prefix.startIndex, to: $0) + 1 } ?? 0) + 1
            throw ScenarioParseError(file: file, line: line, column: column, message: "the file contains a NUL byte")
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw located(error, file: file, text: text)
        } catch {
            throw ScenarioParseError(file: file, line: 1, column: 1, message: "not YAML: \(error)")
        }
        guard let root else { throw ScenarioParseError(file: file, line: 1, column: 1, message: "the file is empty") }
        return root
    }

    private static func located(_ error: YamlError, file: String, text: String) -> ScenarioParseError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return ScenarioParseError(file: file, line: mark.line, column: mark.column, message: "invalid YAML: \(problem)")
        case .reader(let problem, let offset, _, let yaml):
            let prefix = yaml.utf8.prefix(offset ?? 0)
            let line = prefix.filter { $0 == 0x0A }.count + 1
            return ScenarioParseError(file: file, line: line, column: 1, message: "invalid YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let first = duplicates.first ?? ""
            let line = duplicateLine(of: first, in: text) ?? context.mark.line
            return ScenarioParseError(file: file, line: line, column: 1,
                                      message: "duplicate key '\(first)'" + (duplicates.count > 1 ? " (and \(duplicates.count - 1) more)" : ""))
        default:
            return ScenarioParseError(file: file, line: 1, column: 1, message: "invalid YAML: \(error)")
        }
    }

    /// The line of the second `key:` at the start of a line, if easy to find.
    private static func duplicateLine(of key: String, in text: String) -> Int? {
        var seen = false
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.drop { $0 == " " || $0 == "-" }
            if trimmed.hasPrefix(key + ":") {
                if seen { return index + 1 }
                seen = true
            }
        }
        return nil
    }

    /// A cheap scan that finds flow brackets or block indentation nested too
    /// deep for the recursive YAML composer; returns where.
    static func excessiveNesting(_ text: String) -> (Int, Int)? {
        var depth = 0, line = 1, column = 0
        var quote: Character?
        var lineStart = true, indent = 0, dashes = 0
        var previous: Character = " "
        for character in text {
            defer { previous = character }
            column += 1
            if character == "\n" {
                line += 1; column = 0; lineStart = true; indent = 0; dashes = 0
                if quote == "'" || quote == "\"" { continue }
                continue
            }
            if lineStart {
                if character == " " { indent += 1; continue }
                if character == "-" { dashes += 1; continue }
                lineStart = false
                if indent > maxNesting * 8 || dashes > maxNesting { return (line, column) }
            }
            if let open = quote {
                if character == open { quote = nil }
                continue
            }
            switch character {
            case "\"", "'":
                if " [{,:-".contains(previous) { quote = character }
            case "#": continue
            case "[", "{":
                depth += 1
                if depth > maxNesting { return (line, column) }
            case "]", "}": depth = max(0, depth - 1)
            default: break
            }
        }
        return nil
    }

    private static func firstInvalidUTF8Offset(_ data: Data) -> Int {
        var iterator = data.makeIterator()
        var decoder = UTF8()
        var offset = 0
        var consumed = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                consumed += String(scalar).utf8.count
                offset = consumed
            case .emptyInput: return data.count
            case .error: return offset
            }
        }
    }

    private static func position(ofByte offset: Int, in data: Data) -> (Int, Int) {
        let prefix = data.prefix(offset)
        let line = prefix.filter { $0 == 0x0A }.count + 1
        let column = offset - (prefix.lastIndex(of: 0x0A).map { $0 - data.startIndex + 1 } ?? 0) + 1
        return (line, column)
    }
}

extension ScenarioParser {
    /// `parse(contentsOf:)` on a thread with a large stack, so even a
    /// pathological file that slips past the nesting check cannot overflow it.
    public static func parseOnLargeStack(contentsOf path: String) throws -> Scenario {
        let box = ResultBox()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.result = Result { try parse(contentsOf: path) }
            done.signal()
        }
        thread.stackSize = 512 * 1024 * 1024
        thread.start()
        done.wait()
        return try box.result!.get()
    }

    private final class ResultBox: @unchecked Sendable {
        var result: Result<Scenario, Error>?
    }
}
