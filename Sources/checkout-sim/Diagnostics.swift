import CheckoutCore
import Foundation

/// Writes one line to standard error. Messages quote file names, paths and input, so the
/// whole line goes through `UntrustedText`: nothing in it can drive the terminal.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((UntrustedText.escaped(message) + "\n").utf8))
}
