import Fluent
import Foundation

/// Slows, then refuses, repeated failed sign-ins for one account. Failures live in the database, so
/// every instance sees the same count.
///
/// - From the 3rd failure in 15 minutes, each try must wait 2^(n-3) seconds after the last failure.
/// - When 10 failures fall within 15 minutes, the account refuses sign-in until 15 minutes after the last.
/// Refused tries are not counted, so an attacker cannot keep an account locked for ever, and an account
/// sees at most about 40 tries an hour (the limit is 100).
public enum SignInThrottle {
    public static let window: TimeInterval = 15 * 60
    public static let slowAfter = 3
    public static let lockAfter = 10

    public enum Decision: Equatable { case allowed, wait(until: Date) }

    static func decide(email: String, on db: any Database, now: Date) async throws -> Decision {
        // Look back far enough to see a lock that is still running (10 failures, then 15 minutes).
        let recent = try await SignInFailure.query(on: db)
            .filter(\.$email == email)
            .filter(\.$at > now.addingTimeInterval(-2 * window))
            .sort(\.$at, .descending)
            .limit(lockAfter)
            .all()
        guard let last = recent.first?.at else { return .allowed }
        if recent.count >= lockAfter, last.timeIntervalSince(recent[lockAfter - 1].at) <= window {
            let until = last.addingTimeInterval(window)
            return until > now ? .wait(until: until) : .allowed
        }
        let inWindow = recent.filter { $0.at > now.addingTimeInterval(-window) }.count
        guard inWindow >= slowAfter else { return .allowed }
        let until = last.addingTimeInterval(pow(2, Double(inWindow - slowAfter)))
        return until > now ? .wait(until: until) : .allowed
    }

    static func clear(email: String, on db: any Database) async throws {
        try await SignInFailure.query(on: db).filter(\.$email == email).delete()
    }
}
