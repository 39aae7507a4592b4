import Fluent
import Foundation
import SQLKit
import Vapor

/// Sends the outbox by SMTP. Each row is claimed with a conditional update before it is sent, so that
/// instances sharing one database never send the same row at the same time; a row whose sender died
/// is taken again when its claim runs out. Delivery is at least once: a process killed between the
/// server's acceptance and the row's update sends that one message again.
enum OutboxSender {
    struct Result: Sendable, CustomStringConvertible {
        var sent = 0, failed = 0, gaveUp = 0, waiting = 0
        var description: String { "\(sent) sent, \(failed) failed and will be tried again, \(gaveUp) given up, \(waiting) waiting" }
    }

    /// Tries this many times, waiting 1, 2, 4 … minutes between tries.
    static let maxAttempts = 8
    static let claimFor: TimeInterval = 300

    static func deliver(_ app: Application, settings: SMTPSettings, limit: Int = 100) async throws -> Result {
        let db = app.db, now = app.clock.now()
        var result = Result()
        let due = try await OutboxEmail.query(on: db).filter(\.$sentAt == nil).filter(\.$attempts < maxAttempts)
            .group(.or) { $0.filter(\.$nextAttemptAt == nil).filter(\.$nextAttemptAt <= now) }
            .sort(\.$createdAt).limit(limit).all()
        for email in due {
            guard let id = email.id, try await claim(id, now: now, on: db) else { continue }
            do {
                try await SMTPClient.send(SMTPClient.Message(to: email.toAddress, subject: email.subject, body: email.body, messageID: "\(id.text)@lantern"),
                                          with: settings, on: app.eventLoopGroup, now: now)
                email.sentAt = app.clock.now(); email.claimedUntil = nil; email.lastError = nil
                email.attempts += 1
                try await email.save(on: db)
                result.sent += 1
            } catch {
                let permanent = (error as? SMTPError)?.permanent ?? false
                email.attempts = permanent ? maxAttempts : email.attempts + 1
                email.lastError = String(String(describing: error).prefix(500))
                email.claimedUntil = nil
                email.nextAttemptAt = now.addingTimeInterval(60 * pow(2, Double(email.attempts - 1)))
                try await email.save(on: db)
                if email.attempts >= maxAttempts { result.gaveUp += 1 } else { result.failed += 1 }
                app.logger.warning("outbox: \(email.toAddress): \(error)")
            }
        }
        result.waiting = try await OutboxEmail.query(on: db).filter(\.$sentAt == nil).filter(\.$attempts < maxAttempts).count()
        return result
    }

    /// Takes the row for this sender unless another holds it. True when this sender has it.
    static func claim(_ id: UUID, now: Date, on db: any Database) async throws -> Bool {
        let taken = try await db.sql.update(OutboxEmail.schema)
            .set("claimed_until", to: SQLBind(now.addingTimeInterval(claimFor)))
            .where("id", .equal, SQLBind(id))
            .where("sent_at", .is, SQLLiteral.null)
            .where(group: { $0.where("claimed_until", .is, SQLLiteral.null).orWhere("claimed_until", .lessThan, SQLBind(now)) })
            .returning("id")
            .all()
        return !taken.isEmpty
    }
}
