/// A small, fast, seedable generator (SplitMix64): the same seed gives the
/// same keys and the same probability draws, so a run repeats.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    /// The whole state: a generator seeded with it continues this one's sequence.
    private(set) var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Where the backend's randomness comes from: the system, or a seed.
public struct BackendRandomness: Sendable {
    private var keys: SeededGenerator?
    private var draws: SeededGenerator?

    /// Keeps probability draws apart from keys: the same seed, salted.
    private static let drawSalt: UInt64 = 0xD1B5_4A32_D192_ED03

    /// `nil` seed: keys are unpredictable UUIDs (the TUI's default).
    public init(seed: UInt64?) {
        if let seed {
            keys = SeededGenerator(seed: seed)
            draws = SeededGenerator(seed: seed ^ Self.drawSalt)
        }
    }

    /// A seed whose probability draws are the ones this backend makes from now on,
    /// so that a recording started here replays them. Unseeded draws become seeded
    /// (from a random seed) so that there is a sequence to replay.
    public mutating func seedForDrawsFromHere() -> UInt64 {
        if let draws { return draws.state ^ Self.drawSalt }
        let seed = UInt64.random(in: .min ... .max)
        draws = SeededGenerator(seed: seed ^ Self.drawSalt)
        return seed
    }

    /// A UUID v4 string, from the seeded stream when there is one.
    public mutating func nextKey() -> String {
        var bytes = [UInt8](repeating: 0, count: 16)
        if keys != nil {
            fill(&bytes, using: &keys!)
        } else {
            var system = SystemRandomNumberGenerator()
            fill(&bytes, using: &system)
        }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { byte in
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
        }
        return [hex[0..<4], hex[4..<6], hex[6..<8], hex[8..<10], hex[10..<16]]
            .map { $0.joined() }.joined(separator: "-")
    }

    /// A number in `0..<1` for probability rules.
    public mutating func nextUnit() -> Double {
        if draws != nil { return Double.random(in: 0..<1, using: &draws!) }
        return Double.random(in: 0..<1)
    }

    /// A short random hex string for client secrets.
    public mutating func nextSecret() -> String {
        String(nextKey().replacingOccurrences(of: "-", with: "").prefix(16))
    }

    private func fill<G: RandomNumberGenerator>(_ bytes: inout [UInt8], using generator: inout G) {
        for chunk in 0..<2 {
            let value = generator.next()
            for i in 0..<8 { bytes[chunk * 8 + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(i))) }
        }
    }
}
