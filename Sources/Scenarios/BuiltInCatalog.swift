import Foundation

/// The scenario catalog inside the binary: the installed `checkout-sim` lists, demos and runs
/// it from any directory. A built-in file is named `builtin:NN-name.yaml`; on the command line
/// it is found by that label, by its file name with or without `.yaml`, by the start of one
/// file's name (its number: `33`), or by its scenario's name. A file on disk always wins over a built-in one of the same name.
public enum BuiltInCatalog {
    /// The prefix of a built-in file's label.
    public static let prefix = "builtin:"

    /// Every built-in file's label, in catalog order.
    public static var labels: [String] { files.map { prefix + $0.name } }

    /// The text of the built-in file `label` names, if any.
    public static func text(forLabel label: String) -> String? {
        guard label.hasPrefix(prefix) else { return nil }
        let name = label.dropFirst(prefix.count)
        return files.first { $0.name == name }?.text
    }

    /// The labels `argument` stands for when it is not a path on disk: the whole catalog for
    /// `scenarios` (the default folder) or `builtin:`, else the one file it names; `nil` for none.
    public static func labels(matching argument: String) -> [String]? {
        let trimmed = argument.hasSuffix("/") ? String(argument.dropLast()) : argument
        if trimmed == "scenarios" || trimmed == prefix || trimmed == "builtin" { return labels }
        var name = trimmed.hasPrefix(prefix) ? String(trimmed.dropFirst(prefix.count)) : trimmed
        if name.hasPrefix("scenarios/") { name = String(name.dropFirst("scenarios/".count)) }
        if let file = files.first(where: { $0.name == name || $0.name == name + ".yaml" }) {
            return [prefix + file.name]
        }
        // The start of one file's name: its number (`33`) or more (`33-paid-twice`), as product staff type it.
        let starting = files.filter { $0.name.hasPrefix(name + "-") || (name.count >= 4 && $0.name.hasPrefix(name)) }
        if !name.isEmpty, starting.count == 1 { return [prefix + starting[0].name] }
        // A scenario's name, as `list` shows it.
        let wanted = argument.lowercased()
        for file in files where (try? ScenarioParser.parse(yaml: file.text, file: prefix + file.name))?.name.lowercased() == wanted {
            return [prefix + file.name]
        }
        return nil
    }
}
