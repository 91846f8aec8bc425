import CheckoutCore
import Foundation
import TestSupport
import Testing

@Suite("File-backed localStorage")
struct FileStorageTests {
    private let temporary = TemporaryDirectory("checkout-sim-tests")

    @Test("values survive a new instance (a page reload)")
    func persistence() throws {
        let dir = temporary.folder()
        let first = try FileKeyValueStorage(directory: dir)
        try first.setValue("k1", forKey: IdempotencyKeyStore.storageKey)
        let second = try FileKeyValueStorage(directory: dir)
        #expect(IdempotencyKeyStore(storage: second).getStoredIdempotencyKey() == "k1")
    }

    @Test("a failure before the rename leaves the old value")
    func atomicWrite() throws {
        let dir = temporary.folder()
        let storage = try FileKeyValueStorage(directory: dir)
        try storage.setValue("old", forKey: "k")
        struct Boom: Error {}
        storage.beforeRename = { throw Boom() }
        #expect(throws: Boom.self) { try storage.setValue("new", forKey: "k") }
        storage.beforeRename = nil
        #expect(storage.value(forKey: "k") == "old")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }

    @Test("a corrupt file is moved aside, reported, and storage continues empty", arguments: [
        Data(), Data([0xFF, 0x00, 0x13]), Data("{\"checkout-idempotency-key\": ".utf8),
        Data("[1, 2, 3]".utf8), Data("{\"checkout-idempotency-key\": 42}".utf8),
    ])
    func corruptFile(content: Data) throws {
        let dir = temporary.folder()
        let storage = try FileKeyValueStorage(directory: dir)
        try content.write(to: storage.url)
        #expect(storage.value(forKey: IdempotencyKeyStore.storageKey) == nil)
        let notices = storage.drainNotices()
        #expect(notices.count == 1)
        #expect(notices.first?.contains("moved aside") == true)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        let aside = try #require(files.first { $0.contains(".corrupt-") })
        #expect(FileManager.default.contents(atPath: dir.appendingPathComponent(aside).path) == content)
        try storage.setValue("k2", forKey: "x")
        #expect(storage.value(forKey: "x") == "k2")
    }

    @Test("two instances on one file see each other's writes and never lose one")
    func twoTabs() async throws {
        let dir = temporary.folder()
        let a = try FileKeyValueStorage(directory: dir)
        let b = try FileKeyValueStorage(directory: dir)
        try a.setValue("from-a", forKey: IdempotencyKeyStore.storageKey)
        #expect(b.value(forKey: IdempotencyKeyStore.storageKey) == "from-a")
        try b.removeValue(forKey: IdempotencyKeyStore.storageKey)
        #expect(a.value(forKey: IdempotencyKeyStore.storageKey) == nil)

        // Concurrent writers of distinct keys: with interleaved writes some would be lost.
        let path = dir
        await withTaskGroup(of: Void.self) { group in
            for tab in 0..<2 {
                group.addTask {
                    let storage = try! FileKeyValueStorage(directory: path)
                    for i in 0..<50 { try! storage.setValue("\(i)", forKey: "tab\(tab)-\(i)") }
                }
            }
        }
        #expect(a.allValues().count == 100)
    }

    @Test("a tab that read no file sees the file another tab creates, and an empty store once it is deleted")
    func fileAppearsAndGoes() throws {
        let dir = temporary.folder()
        let reader = try FileKeyValueStorage(directory: dir)
        #expect(reader.allValues().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: reader.url.path))
        try FileKeyValueStorage(directory: dir).setValue("k1", forKey: IdempotencyKeyStore.storageKey)
        #expect(reader.value(forKey: IdempotencyKeyStore.storageKey) == "k1")
        try FileManager.default.removeItem(at: reader.url)  // `checkout-sim reset` from another terminal
        #expect(reader.value(forKey: IdempotencyKeyStore.storageKey) == nil)
    }
}
