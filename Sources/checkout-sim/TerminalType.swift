import Foundation

/// Whether ncurses will know `$TERM`. Given a name it has no description for, `initscr`
/// prints "Error opening terminal" and exits 1 on its own, so the check comes first.
enum TerminalType {
    /// Looks `name` up the way ncurses does: `$TERMINFO`, `~/.terminfo`, `$TERMINFO_DIRS`
    /// (an empty entry means the system folders), then the system folders, each with
    /// first-letter (`x/xterm`) and hexadecimal (`78/xterm`) subfolders.
    static func isKnown(_ name: String, environment: (String) -> String? = environmentValue) -> Bool {
        guard let first = name.utf8.first, !name.contains("/"), name != "." , name != ".." else { return false }
        // Not `String(format:)`: it costs a million instructions at start-up (CVarArg casts).
        let hex = String(first, radix: 16)
        let subfolders = [String(UnicodeScalar(first)), hex.count == 1 ? "0" + hex : hex]
        return folders(environment).contains { folder in
            // A hashed database (`terminfo.db`) cannot be looked into cheaply: trust it.
            exists(folder + ".db") || subfolders.contains { exists("\(folder)/\($0)/\(name)") }
        }
    }

    /// `access(2)`, cheaper than FileManager at start-up.
    private static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    static let systemFolders = ["/etc/terminfo", "/lib/terminfo", "/usr/share/terminfo", "/usr/lib/terminfo",
                                "/usr/share/lib/terminfo", "/usr/local/share/terminfo"]

    static func folders(_ environment: (String) -> String?) -> [String] {
        var folders: [String] = []
        if let own = environment("TERMINFO"), !own.isEmpty { folders.append(own) }
        if let home = environment("HOME"), !home.isEmpty { folders.append(home + "/.terminfo") }
        if let list = environment("TERMINFO_DIRS") {
            for entry in list.split(separator: ":", omittingEmptySubsequences: false) {
                folders += entry.isEmpty ? systemFolders : [String(entry)]
            }
        }
        return folders + systemFolders
    }
}
