import CheckoutCore
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
import TestSupport
#endif

/// State files that are links, folders or out of range: refused or set aside with words, never followed.
@Suite("Hostile localStorage files")
struct StateFileTests {
    private let temporary = TemporaryDirectory("cs-state")

    @Test("a symbolic link as localStorage.json or its lock is refused, and its target never created",
          arguments: ["localStorage.json", "localStorage.json.lock"])
    func symlinkRefused(name: String) throws {
        let dir = temporary.folder()
        let outside = temporary.folder().appendingPathComponent("outside-\(name)")
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent(name).path, withDestinationPath: outside.path)
        #expect(throws: StateFileError.symbolicLink(name)) { try FileKeyValueStorage(directory: dir) }
        #expect(!FileManager.default.fileExists(atPath: outside.path))
        #expect(StateFileError.symbolicLink(name).description.contains("does not follow links"))
    }

    @Test("a folder named localStorage.json is refused with words")
    func folderRefused() throws {
        let dir = temporary.folder()
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("localStorage.json"), withIntermediateDirectories: false)
        #expect(throws: StateFileError.notARegularFile("localStorage.json", kind: "a folder")) { try FileKeyValueStorage(directory: dir) }
    }

    @Test("a state directory under a file says so in words, not NSCocoaErrorDomain")
    func directoryUnderAFile() throws {
        let dir = temporary.folder()
        let file = dir.appendingPathComponent("plain-file")
        try Data("x".utf8).write(to: file)
        let error = #expect(throws: StateFileError.self) { try FileKeyValueStorage(directory: file.appendingPathComponent("state")) }
        #expect(error == .notADirectory(file.path))
        #expect(error?.description == "\(file.path) is a file, not a folder")
        #expect(StateFiles.describe(error!) == "\(file.path) is a file, not a folder")
    }

    @Test("a write that fails says why, and the tamper reports it")
    func writeFailureInWords() throws {
        let dir = temporary.folder()
        let storage = try FileKeyValueStorage(directory: dir)
        try storage.setValue("k1", forKey: "a")
        // The file turns into a folder behind the app's back.
        try FileManager.default.removeItem(at: storage.url)
        try FileManager.default.createDirectory(at: storage.url, withIntermediateDirectories: false)
        let error = #expect(throws: StorageError.self) { try storage.setValue("k2", forKey: "a") }
        #expect(error?.description.contains("localStorage.json is a folder") == true, "\(String(describing: error))")
        let client = CheckoutClient(storage: storage)
        #expect(!client.attempt("write localStorage") { try storage.setValue("k3", forKey: "a") })
        #expect(client.drainNotices().contains { $0.hasPrefix("could not write localStorage: cannot write") && $0.contains("is a folder") })
    }

    @Test("a localStorage file larger than any browser's is moved aside unread")
    func oversizedFile() throws {
        let dir = temporary.folder()
        let path = dir.appendingPathComponent("localStorage.json").path
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        #expect(truncate(path, off_t(FileKeyValueStorage.maxFileBytes + 1)) == 0)
        let storage = try FileKeyValueStorage(directory: dir)
        #expect(storage.allValues().isEmpty)
        #expect(storage.drainNotices().contains { $0.contains("larger than 64 MB") && $0.contains("moved aside") })
    }

    @Test("a cart quantity out of range is ignored with a notice, never multiplied",
          arguments: ["9223372036854775807", "-9223372036854775808", "10000", "-10000"])
    func quantityOutOfRange(qty: String) throws {
        let storage = InMemoryKeyValueStorage(["checkout-cart": "[{\"sku\":\"MUG\",\"qty\":\(qty)}]"])
        var notices: [String] = []
        #expect(ShopperStore(storage: storage).loadCart(notices: &notices).isEmpty)
        #expect(notices == ["localStorage \"checkout-cart\" has a quantity out of range (\(qty); at most 9999 either way); ignored the cart"])
    }

    @Test("adding and setting quantities stays within the limit, either way")
    func quantitiesClamp() {
        let client = CheckoutClient(storage: InMemoryKeyValueStorage())
        client.setQuantity(sku: "MUG", qty: Int.max)
        #expect(client.cart.first?.qty == CartLine.maxQuantity)
        client.addItem(sku: "MUG", qty: Int.max)
        #expect(client.cart.first?.qty == CartLine.maxQuantity)
        client.setQuantity(sku: "MUG", qty: Int.min)
        #expect(client.cart.first?.qty == -CartLine.maxQuantity)
        client.addItem(sku: "MUG", qty: Int.min)
        #expect(client.cart.first?.qty == -CartLine.maxQuantity)
        #expect(CartLine(sku: "MUG", qty: 2).total(unitPriceCents: Int64.max) == nil)
        #expect(CartLine(sku: "MUG", qty: 2).total(unitPriceCents: 900) == 1800)
        #expect(Int64.max.checkedAdding(1) == nil)
    }

    @Test("a file URL's path read off its text is URL.path, whatever the characters", arguments: [
        "/tmp/x", "/tmp/x/", "/", "//double//slash/", "relative/dir", "./a/../b", "/tmp/with space", "/tmp/100%", "/tmp/%41",
        "/tmp/a#b?c;d", "/tmp/日本語/🛒", "/tmp/e\u{301}", "~/state", "/tmp/quote\"and'\\back", "/tmp/tab\there", "/tmp/+&=@:,$!",
    ])
    func fileSystemPathIsURLPath(path: String) {
        for isDirectory in [true, false] {
            let url = URL(fileURLWithPath: path, isDirectory: isDirectory)
            #expect(StateFiles.fileSystemPath(url) == url.path, "\(url.absoluteString)")
        }
        let relative = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: "/base dir/", isDirectory: true))
        #expect(StateFiles.fileSystemPath(relative) == relative.path, "\(relative.absoluteString)")
    }
}
