import Foundation
import NIOConcurrencyHelpers
import Vapor

/// The source of "now" for every rule that depends on time (session time-outs, ages, audit stamps).
/// Injected so that tests can move time forward instead of waiting.
public protocol LanternClock: Sendable {
    func now() -> Date
}

public struct SystemClock: LanternClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that stands still until told to move; for tests and benchmarks.
public final class ManualClock: LanternClock {
    private let current: NIOLockedValueBox<Date>
    public init(_ start: Date) { current = .init(start) }
    public func now() -> Date { current.withLockedValue { $0 } }
    public func advance(by seconds: TimeInterval) { current.withLockedValue { $0 += seconds } }
}

extension Application {
    private struct ClockKey: StorageKey { typealias Value = any LanternClock }
    public var clock: any LanternClock {
        get { storage[ClockKey.self] ?? SystemClock() }
        set { storage[ClockKey.self] = newValue }
    }
}

extension Request {
    var now: Date { application.clock.now() }
}
