import CheckoutCore
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
            // Said as `R` says it: --record is otherwise only a ● REC in the header.
            model.status = "recording to \(recordPath) (R stops; quitting writes it too)"
        }
    }

    var isRecording: Bool { recorder != nil }

    func toggle(model: AppModel) {
        if recorder != nil {
            finish(model: model)
            return
        }
        let file: String
        do {
            file = try path ?? Self.freshRecordingPath(in: model.simulation.stateDirectory ?? StateDirectory.resolve(nil))
        } catch {
            model.status = "cannot record: \(StateFiles.describe(error))"
            return
        }
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

    /// `recordings/recording-N.yaml` in the state directory, the first N not taken: recordings
    /// land where the state lives, not wherever the TUI was started.
    static func freshRecordingPath(in stateDirectory: URL) throws -> String {
        let folder = URL(fileURLWithPath: StateFiles.path(stateDirectory, "recordings"), isDirectory: true)
        try StateFiles.prepareDirectory(folder)
        var n = 1
        while FileManager.default.fileExists(atPath: StateFiles.path(folder, "recording-\(n).yaml")) { n += 1 }
        return StateFiles.path(folder, "recording-\(n).yaml")
    }
}
