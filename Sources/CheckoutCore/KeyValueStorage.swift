/// The simulated browser's `localStorage`: string keys to string values.
///
/// Implementations must make each call atomic; two handles on the same backing
/// store (two browser tabs) see each other's writes on their next read.
public protocol KeyValueStorage: AnyObject {
    /// The value stored under `key`, or `nil` when there is none.
    func value(forKey key: String) -> String?
    /// Stores `value` under `key`, replacing what was there.
    func setValue(_ value: String, forKey key: String) throws
    /// Removes `key`; removing an absent key is not an error.
    func removeValue(forKey key: String) throws
    /// Every key and value, for display and recording.
    func allValues() -> [String: String]
    /// Problems met while reading the backing store (for example a corrupt file
    /// moved aside). Reading them empties the list.
    func drainNotices() -> [String]
}

/// A `localStorage` that lives only in memory: headless runs and tests.
public final class InMemoryKeyValueStorage: KeyValueStorage {
    private var values: [String: String]

    /// Creates a storage, optionally already holding `values`.
    public init(_ values: [String: String] = [:]) {
        self.values = values
    }

    public func value(forKey key: String) -> String? { values[key] }
    public func setValue(_ value: String, forKey key: String) throws { values[key] = value }
    public func removeValue(forKey key: String) throws { values[key] = nil }
    public func allValues() -> [String: String] { values }
    public func drainNotices() -> [String] { [] }

    /// An independent copy holding the same values (the explorer forks a state).
    public func copy() -> InMemoryKeyValueStorage { InMemoryKeyValueStorage(values) }
}
