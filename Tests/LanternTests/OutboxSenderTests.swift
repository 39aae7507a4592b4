import Fluent
import Foundation
import Vapor
import XCTest
@testable import LanternApp

/// Sending the outbox to a real SMTP server: CI starts aiosmtpd (Python) writing to a Maildir and sets
/// LANTERN_TEST_SMTP=host:port and LANTERN_TEST_SMTP_MAILDIR; without them these tests are skipped.
final class OutboxSenderTests: XCTestCase {
    static var server: (host: String, port: Int, maildir: URL)? {
        let env = ProcessInfo.processInfo.environment
        guard let address = env["LANTERN_TEST_SMTP"], let dir = env["LANTERN_TEST_SMTP_MAILDIR"] else { return nil }
        let parts = address.split(separator: ":")
        guard parts.count == 2, let port = Int(parts[1]) else { return nil }
        return (String(parts[0]), port, URL(fileURLWithPath: dir))
    }

    static func settings(port: Int? = nil) throws -> SMTPSettings {
        guard let server else { throw XCTSkip("set LANTERN_TEST_SMTP and LANTERN_TEST_SMTP_MAILDIR to test against an SMTP server") }
        return SMTPSettings(host: server.host, port: port ?? server.port, security: .none, from: "lantern@test.example")
    }

    /// The messages the server received whose subject holds `marker`.
    static func received(_ marker: String) throws -> [String] {
        guard let server else { return [] }
        let new = server.maildir.appendingPathComponent("new")
        let files = (try? FileManager.default.contentsOfDirectory(at: new, includingPropertiesForKeys: nil)) ?? []
        return try files.map { try String(contentsOf: $0, encoding: .utf8) }.filter { $0.contains(marker) }
    }

    static func queue(_ w: TestWorld, _ subject: String, body: String = "Due: 2026-12-01.\n\nSee your tasks in Lantern.", to: String = "coordinator@test.example") async throws -> OutboxEmail {
        let email = OutboxEmail()
        email.id = UUID(); email.toAddress = to; email.subject = subject; email.body = body; email.sourceKey = "test:" + subject; email.attempts = 0
        try await email.create(on: w.app.db)
        return email
    }

    func testRemindersReachTheServerOnceEvenWhenSendersRace() async throws {
        let smtp = try Self.settings()
        try await onEveryEngine { w in
            let marker = "race-\(w.engine)-\(UUID().uuidString.prefix(8))"
            for n in 1...5 { _ = try await Self.queue(w, "Lantern: reminder \(n) – Früh", body: "Erinnerung \(n): the body in UTF-8 ✓", to: "\(marker)@test.example") }
            let results = try await withThrowingTaskGroup(of: OutboxSender.Result.self) { group in
                for _ in 0..<3 { group.addTask { try await OutboxSender.deliver(w.app, settings: smtp) } }
                return try await group.reduce(into: [OutboxSender.Result]()) { $0.append($1) }
            }
            XCTAssertEqual(results.map(\.sent).reduce(0, +), 5, "\(results)")
            let messages = try Self.received(marker)
            XCTAssertEqual(messages.count, 5, "each reminder arrives once")
            let first = try XCTUnwrap(messages.first { $0.contains("=?UTF-8?B?") } ?? messages.first)
            XCTAssertTrue(first.contains("To: <\(marker)@test.example>"))
            XCTAssertTrue(first.contains("Subject: =?UTF-8?B?\(Data("Lantern: reminder".utf8).base64EncodedString().prefix(20))"), "a subject that is not ASCII is encoded (RFC 2047)")
            XCTAssertTrue(first.contains("Content-Transfer-Encoding: base64"))
            let body = first.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n\n").dropFirst().joined().replacingOccurrences(of: "\r", with: "").replacingOccurrences(of: "\n", with: "")
            let decoded = Data(base64Encoded: body).map { String(decoding: $0, as: UTF8.self) } ?? ""
            XCTAssertTrue(decoded.hasPrefix("Erinnerung") && decoded.hasSuffix("in UTF-8 ✓"), decoded)
            try await expectEqual(try await OutboxEmail.query(on: w.app.db).filter(\.$sentAt == nil).count(), 0)
            let again = try await OutboxSender.deliver(w.app, settings: smtp)
            XCTAssertEqual(again.sent, 0, "nothing is sent twice")
        }
    }

    func testAFailureIsTriedAgainLaterAndALineBreakIsRefused() async throws {
        let smtp = try Self.settings()
        try await onEveryEngine { w in
            let marker = "retry-\(w.engine)-\(UUID().uuidString.prefix(8))"
            let email = try await Self.queue(w, "Lantern: a reminder", to: "\(marker)@test.example")
            // Nothing listens on port 9: the connection is refused, and the row waits a minute.
            var closed = smtp; closed.port = 9
            var result = try await OutboxSender.deliver(w.app, settings: closed)
            XCTAssertEqual(result.failed, 1, "\(result)")
            var row = try await OutboxEmail.find(email.id, on: w.app.db)
            XCTAssertEqual(row?.attempts, 1)
            XCTAssertNotNil(row?.lastError)
            XCTAssertEqual(row?.nextAttemptAt?.timeIntervalSince(w.clock.now()) ?? 0, 60, accuracy: 1)
            result = try await OutboxSender.deliver(w.app, settings: smtp)
            XCTAssertEqual(result.sent, 0, "not before its next try")
            w.clock.advance(by: 61)
            result = try await OutboxSender.deliver(w.app, settings: smtp)
            XCTAssertEqual(result.sent, 1)
            row = try await OutboxEmail.find(email.id, on: w.app.db)
            XCTAssertNotNil(row?.sentAt)
            XCTAssertNil(row?.lastError)
            XCTAssertEqual(try Self.received(marker).count, 1)

            // A subject with a line break would let text become a header: refused for good.
            let bad = try await Self.queue(w, "Lantern: a reminder\r\nBcc: someone@else.example", to: "\(marker)@test.example")
            result = try await OutboxSender.deliver(w.app, settings: smtp)
            XCTAssertEqual(result.gaveUp, 1, "\(result)")
            try await expectEqual(try await OutboxEmail.find(bad.id, on: w.app.db)?.attempts, OutboxSender.maxAttempts)
            XCTAssertEqual(try Self.received(marker).count, 1, "only the first was sent")
        }
    }
}
