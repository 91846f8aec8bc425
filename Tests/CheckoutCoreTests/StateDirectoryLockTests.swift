import CheckoutCore
import Foundation
import TestSupport
import Testing

/// The lock that tells `reset` an interface is using a state directory.
@Suite struct StateDirectoryLockTests {
    private let temporary = TemporaryDirectory("cs-lock")
    private var directory: URL { temporary.url }

    @Test func heldWhileAnInterfaceKeepsIt() throws {
        #expect(!StateDirectoryLock.isHeld(directory: directory))
        var first = StateDirectoryLock.holdShared(directory: directory)
        let second = StateDirectoryLock.holdShared(directory: directory)
        #expect(first != nil && second != nil, "two interfaces share a directory")
        #expect(StateDirectoryLock.isHeld(directory: directory))
        #expect(StateDirectoryLock.holdExclusive(directory: directory) == nil)
        first = nil
        #expect(StateDirectoryLock.isHeld(directory: directory), "the second still holds it")
        withExtendedLifetime(second) {}
    }

    @Test func releasedWithTheValue() {
        do {
            let lock = StateDirectoryLock.holdShared(directory: directory)
            #expect(lock != nil)
            withExtendedLifetime(lock) {}
        }
        #expect(!StateDirectoryLock.isHeld(directory: directory))
        #expect(StateDirectoryLock.holdExclusive(directory: directory) != nil)
    }

    @Test func aSymlinkInItsPlaceIsNotFollowed() throws {
        let outside = directory.appendingPathComponent("outside-target").path
        try FileManager.default.createSymbolicLink(atPath: directory.appendingPathComponent(StateDirectoryLock.fileName).path,
                                                   withDestinationPath: outside)
        #expect(StateDirectoryLock.holdShared(directory: directory) == nil)
        #expect(!StateDirectoryLock.isHeld(directory: directory))
        #expect(!FileManager.default.fileExists(atPath: outside))
    }

    @Test func aMissingDirectoryIsNotCreated() {
        let missing = directory.appendingPathComponent("missing")
        #expect(StateDirectoryLock.holdShared(directory: missing) == nil)
        #expect(!StateDirectoryLock.isHeld(directory: missing))
        #expect(!FileManager.default.fileExists(atPath: missing.path))
    }
}
