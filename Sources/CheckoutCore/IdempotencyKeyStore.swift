/// The seed's `src/lib/checkout/idempotency-key.ts`: the server-generated key in
/// `localStorage`, a plain string with no expiry (the server owns its lifecycle).
public struct IdempotencyKeyStore {
    /// The `localStorage` key, exactly as the web client uses it.
    public static let storageKey = "checkout-idempotency-key"

    private let storage: KeyValueStorage

    /// Wraps `storage`.
    public init(storage: KeyValueStorage) {
        self.storage = storage
    }

    /// `getStoredIdempotencyKey()`: the stored key, or `nil` when none exists.
    /// An empty string counts as none.
    public func getStoredIdempotencyKey() -> String? {
        guard let key = storage.value(forKey: Self.storageKey), !key.isEmpty else { return nil }
        return key
    }

    /// `setIdempotencyKey(key)`: stores the key from a server response.
    public func setIdempotencyKey(_ key: String) throws {
        try storage.setValue(key, forKey: Self.storageKey)
    }

    /// `clearIdempotencyKey()`: removes the key.
    public func clearIdempotencyKey() throws {
        try storage.removeValue(forKey: Self.storageKey)
    }
}
