import Explorer
import Foundation
import Scenarios
import TerminalUI

#if canImport(Glibc)
import Glibc
#endif

/// Where and how `explore` leaves its findings: one scenario file per broken invariant and
/// `findings.json`, in the output folder and nowhere else: `--output DIR` leaves the state
/// directory alone (the TUI's `s` lists the findings of the default folder, `explore/`).
enum ExploreOutput {
    static func defaultDirectory(in stateDirectory: URL) -> String {
        stateDirectory.appendingPathComponent("explore").path
    }

    /// Writes everything; returns the summary written.
    static func write(_ result: ExploreResult, to directory: String, peakMemoryBytes: Int?) throws -> ExploreSummary {
        try makeFolder(directory)
        let previous = ExploreSummary.load(from: directory)
        var files: [String: String] = [:]
        for finding in result.findings {
            let name = "\(finding.invariant.name).yaml"
            let text = Counterexample.scenario(finding, configuration: result.configuration)
            try OutputFile.write(Data(text.utf8), to: (directory as NSString).appendingPathComponent(name))
            files[finding.invariant.name] = name
        }
        // Files of an earlier exploration that this one did not write again (only ours).
        for entry in previous?.findings ?? [] where !entry.file.contains("/") && !files.values.contains(entry.file) {
            try? FileManager.default.removeItem(atPath: (directory as NSString).appendingPathComponent(entry.file))
        }
        let summary = ExploreSummary(result, files: files, peakMemoryBytes: peakMemoryBytes)
        try OutputFile.write(summary.json(), to: (directory as NSString).appendingPathComponent(ExploreSummary.fileName))
        return summary
    }

    private static func makeFolder(_ path: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw ExploreError("\(path) is a file, not a folder") }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw ExploreError("cannot create \(path): \(error.localizedDescription)")
        }
    }

    /// The process's peak resident memory.
    static func peakMemoryBytes() -> Int? {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return nil }
        return Int(usage.ru_maxrss) * 1024
    }
}

/// The last exploration's findings for the TUI's scenario picker (`s`), after the catalog.
enum ExploreFindings {
    static func entries(stateDirectory: URL) -> [ScenarioEntry] {
        let directory = ExploreOutput.defaultDirectory(in: stateDirectory)
        guard let summary = ExploreSummary.load(from: directory) else { return [] }
        return summary.findings.map { finding in
            let path = ExploreSummary.path(of: finding, in: directory)
            var entry = ScenarioCatalog.entries(in: [path]).first
                ?? ScenarioEntry(file: path, name: "\(path) (missing)", description: "explore wrote it; it is gone", error: "no such file")
            entry.name = "explore · \(finding.depth) step\(finding.depth == 1 ? "" : "s") · \(entry.name)"
            return entry
        }
    }
}
