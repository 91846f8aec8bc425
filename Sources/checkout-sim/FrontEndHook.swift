import Foundation
import MockBackend
import Scenarios
import TerminalUI

/// Recording and presenter start-up for the TUI: the parts that touch files.
final class FrontEndHook: ScenarioRecorderHook {
    private var recorder: ScenarioRecorder?
    private var path: String?

    init(recordPath: String?, model: AppModel) throws {
        if let recordPath {
            path = recordPath
            try startRecording(to: recordPath, model: model)
        }
    }

    var isRecording: Bool { recorder != nil }

    func toggle(model: AppModel) {
        if recorder != nil {
            finish(model: model)
            return
        }
        let file = path ?? Self.freshRecordingPath()
        do {
            try startRecording(to: file, model: model)
            model.status = "recording to \(file) (R stops)"
        } catch {
            model.status = "cannot record: \(error)"
        }
    }

    private func startRecording(to file: String, model: AppModel) throws {
        try ScenarioRecorder.checkWritable(file)
        recorder = ScenarioRecorder(simulation: model.simulation, file: file)
        path = file
    }

    func startPresenter(_ entry: ScenarioEntry, model: AppModel) {
        if let error = entry.error {
            model.status = error
            return
        }
        do {
            model.present(try ScenarioParser.parseOnLargeStack(contentsOf: entry.file))
        } catch {
            model.status = "\(error)"
        }
    }

    /// Writes the recording, if one is running.
    func finish(model: AppModel) {
        guard let recorder else { return }
        self.recorder = nil
        do {
            try recorder.write()
            model.status = "recorded \(recorder.stepCount) steps to \(recorder.file)"
        } catch {
            model.status = "cannot write \(recorder.file): \(error)"
            printError("cannot write \(recorder.file): \(error)")
        }
        path = nil
    }

    private static func freshRecordingPath() -> String {
        var n = 1
        while FileManager.default.fileExists(atPath: "recording-\(n).yaml") { n += 1 }
        return "recording-\(n).yaml"
    }
}
