import Foundation

/// Where the simulation reads the time, in milliseconds since 1970.
public protocol SimulationClock: AnyObject {
    var nowMillis: Int64 { get }
    /// Whether `advance` moves time (a virtual clock) or time moves by itself.
    var isVirtual: Bool { get }
    /// Moves a virtual clock forward; a real clock ignores it.
    func advance(toMillis target: Int64)
}

/// Virtual time for headless runs and tests: it only moves when told, so
/// latency and 25 h waits cost nothing.
public final class VirtualClock: SimulationClock {
    /// 2026-01-01T00:00:00Z: a fixed start so runs repeat.
    public static let defaultStartMillis: Int64 = 1_767_225_600_000

    public private(set) var nowMillis: Int64
    public var isVirtual: Bool { true }

    public init(startMillis: Int64 = VirtualClock.defaultStartMillis) {
        nowMillis = startMillis
    }

    public func advance(toMillis target: Int64) {
        nowMillis = max(nowMillis, target)
    }

    /// Moves forward by `millis`.
    public func advance(byMillis millis: Int64) {
        advance(toMillis: nowMillis + max(millis, 0))
    }
}

/// The wall clock, for the interactive TUI.
public final class SystemClock: SimulationClock {
    public init() {}
    public var nowMillis: Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
    public var isVirtual: Bool { false }
    public func advance(toMillis target: Int64) {}
}
