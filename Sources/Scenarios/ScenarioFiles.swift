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
}
