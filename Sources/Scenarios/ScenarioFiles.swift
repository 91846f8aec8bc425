import Foundation

/// Finds scenario files.
public enum ScenarioFiles {
    /// The YAML files named by `paths`: files as given, folders searched
    /// recursively for `*.yaml` / `*.yml`, sorted. A path that is not on disk may name the
    /// built-in catalog (`scenarios`) or one of its files (`04-rotation`, a scenario's name):
    /// those come back as `builtin:` labels. Anything else is returned in `missing`.
    public static func collect(_ paths: [String]) -> (files: [String], missing: [String]) {
        var files: [String] = []
        var missing: [String] = []
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                // Not on disk: the built-in catalog, or one of its files by name.
                if let labels = BuiltInCatalog.labels(matching: path) { files += labels } else { missing.append(path) }
                continue
            }
            guard isDirectory.boolValue else {
                files.append(path)
                continue
            }
            let found = (manager.enumerator(atPath: path)?.allObjects as? [String] ?? [])
                .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
                .sorted()
                .map { (path as NSString).appendingPathComponent($0) }
            files += found
        }
        return (files, missing)
    }

    /// The closest name to a `path` that is not there: a catalog scenario (`04-rotation` for
    /// `04-rotaton`) or a scenario file in the same folder; `nil` when none is close.
    public static func suggestion(for path: String) -> String? {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        func bare(_ name: String) -> String {
            for suffix in [".yaml", ".yml"] where name.hasSuffix(suffix) { return String(name.dropLast(suffix.count)) }
            return name
        }
        let typed = bare(url.lastPathComponent).lowercased()
        guard !typed.isEmpty, typed.count < 64 else { return nil }
        var candidates = BuiltInCatalog.labels.map { bare(String($0.dropFirst(BuiltInCatalog.prefix.count))) }
        if path.contains("/"), let names = try? FileManager.default.contentsOfDirectory(atPath: folder) {
            candidates = names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
                .map { (folder as NSString).appendingPathComponent($0) } + candidates
        }
        let scored = candidates.map { ($0, YAMLReader.distance(typed, bare(($0 as NSString).lastPathComponent).lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, typed.count / 4) else { return nil }
        return best.0
    }
}
