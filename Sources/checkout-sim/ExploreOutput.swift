import Explorer
import Foundation
import Scenarios
import TerminalUI

#if canImport(Glibc)
import Glibc
#endif

/// Where and how `explore` leaves its findings: one scenario file per broken invariant and
/// `findings.json`, in the output folder; the state directory's `explore/findings.json`
/// always names the last exploration, so the TUI's `s` lists it wherever it was written.
enum ExploreOutput {
    static func defaultDirectory(in stateDirectory: URL) -> String {
        stateDirectory.appendingPathComponent("explore").path
    }

    /// Writes everything; returns the summary written.
    static func write(_ result: ExploreResult, to directory: String, stateDirectory: URL, peakMemoryBytes: Int?) throws -> ExploreSummary {
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
        let standard = defaultDirectory(in: stateDirectory)
        if URL(fileURLWithPath: directory).standardizedFileURL.path != URL(fileURLWithPath: standard).standardizedFileURL.path {
            // The state directory names the last exploration too, with absolute paths.
            let absolute = URL(fileURLWithPath: directory).standardizedFileURL.path
            let elsewhere = ExploreSummary(result, files: files.mapValues { (absolute as NSString).appendingPathComponent($0) },
                                           peakMemoryBytes: peakMemoryBytes)
            if (try? makeFolder(standard)) != nil {
                try? OutputFile.write(elsewhere.json(), to: (standard as NSString).appendingPathComponent(ExploreSummary.fileName))
            }
        }
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
