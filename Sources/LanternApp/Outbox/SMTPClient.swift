import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Where reminders are sent from, read from the environment: LANTERN_SMTP_HOST, _PORT (587),
/// _SECURITY (starttls, tls or none), _FROM, and _USERNAME and _PASSWORD for AUTH PLAIN, which is
/// only ever sent over TLS.
public struct SMTPSettings: Sendable, Equatable {
    public enum Security: String, Sendable { case startTLS = "starttls", tls, none }
    public var host: String
    public var port: Int
    public var security: Security
    public var from: String
    public var username: String?
    public var password: String?
    public var timeout: TimeAmount = .seconds(20)

    public init(host: String, port: Int, security: Security, from: String, username: String? = nil, password: String? = nil) {
        self.host = host; self.port = port; self.security = security; self.from = from; self.username = username; self.password = password
    }

    static func fromEnvironment(_ env: [String: String]) -> SMTPSettings? {
        guard let host = env["LANTERN_SMTP_HOST"], !host.isEmpty, let from = env["LANTERN_SMTP_FROM"], !from.isEmpty else { return nil }
        let security = env["LANTERN_SMTP_SECURITY"].flatMap(Security.init) ?? .startTLS
        return SMTPSettings(host: host, port: env["LANTERN_SMTP_PORT"].flatMap(Int.init) ?? (security == .tls ? 465 : 587), security: security,
                            from: from, username: env["LANTERN_SMTP_USERNAME"], password: env["LANTERN_SMTP_PASSWORD"])
    }
}

/// An SMTP reply that was not the one expected. A 5xx reply is permanent: sending again will not help.
struct SMTPError: Error, CustomStringConvertible {
    var step: String
    var reply: String
    var permanent: Bool { reply.hasPrefix("5") }
    var description: String { "SMTP \(step): \(reply.isEmpty ? "the connection closed" : reply)" }
}

/// A small SMTP client (RFC 5321) for Lantern's reminders: one message per connection, STARTTLS or
/// implicit TLS, AUTH PLAIN over TLS only, the body in base64 so that no line needs dot-stuffing.
enum SMTPClient {
    struct Message: Sendable {
        var to: String
        var subject: String
        var body: String
        var messageID: String
    }

    static func send(_ message: Message, with settings: SMTPSettings, on group: any EventLoopGroup, now: Date) async throws {
        // Scalars, not Characters: "\r\n" is one Character in Swift and would slip past a Character test.
        for header in [message.to, message.subject, settings.from] where header.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" }) {
            throw SMTPError(step: "headers", reply: "554 a header holds a line break")
        }
        try await withThrowingTaskGroup(of: Void.self) { group_ in
            group_.addTask { try await exchange(message, settings, group, now: now) }
            group_.addTask {
                try await Task.sleep(nanoseconds: UInt64(settings.timeout.nanoseconds))
                throw SMTPError(step: "timeout", reply: "421 no answer within \(settings.timeout.nanoseconds / 1_000_000_000) seconds")
            }
            try await group_.next()
            group_.cancelAll()
        }
    }

    static func tlsHandler(_ host: String) throws -> NIOSSLClientHandler {
        try NIOSSLClientHandler(context: NIOSSLContext(configuration: .makeClientConfiguration()), serverHostname: host)
    }

    private static func exchange(_ message: Message, _ settings: SMTPSettings, _ group: any EventLoopGroup, now: Date) async throws {
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(settings.timeout)
            .connect(host: settings.host, port: settings.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if settings.security == .tls { try channel.pipeline.syncOperations.addHandler(try tlsHandler(settings.host)) }
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        try await channel.executeThenClose { inbound, outbound in
            var replies = Replies(inbound.makeAsyncIterator())
            func expect(_ code: String, _ step: String) async throws -> String {
                let reply = try await replies.next()
                guard reply.hasPrefix(code) else { throw SMTPError(step: step, reply: reply) }
                return reply
            }
            func command(_ line: String, expect code: String, _ step: String) async throws -> String {
                try await outbound.write(ByteBuffer(string: line + "\r\n"))
                return try await expect(code, step)
            }
            let helo = "lantern.localdomain"
            _ = try await expect("220", "greeting")
            var features = try await command("EHLO \(helo)", expect: "250", "EHLO")
            if settings.security == .startTLS {
                guard features.uppercased().contains("STARTTLS") else { throw SMTPError(step: "STARTTLS", reply: "554 the server does not offer STARTTLS") }
                _ = try await command("STARTTLS", expect: "220", "STARTTLS")
                // Made on the channel's event loop: the TLS handler may not cross threads.
                let pipeline = channel.channel.pipeline, host = settings.host
                try await channel.channel.eventLoop.submit { try pipeline.syncOperations.addHandler(try tlsHandler(host), position: .first) }.get()
                features = try await command("EHLO \(helo)", expect: "250", "EHLO after STARTTLS")
            }
            if let user = settings.username, let password = settings.password {
                guard settings.security != .none else { throw SMTPError(step: "AUTH", reply: "554 refusing to send a password without TLS") }
                let token = Data("\0\(user)\0\(password)".utf8).base64EncodedString()
                _ = try await command("AUTH PLAIN \(token)", expect: "235", "AUTH")
            }
            _ = try await command("MAIL FROM:<\(settings.from)>", expect: "250", "MAIL FROM")
            _ = try await command("RCPT TO:<\(message.to)>", expect: "25", "RCPT TO")
            _ = try await command("DATA", expect: "354", "DATA")
            try await outbound.write(ByteBuffer(string: render(message, from: settings.from, now: now)))
            _ = try await command(".", expect: "250", "end of data")
            _ = try? await command("QUIT", expect: "221", "QUIT")
        }
    }

    /// The message as sent after DATA: headers, then the body in base64 lines of 76 characters.
    static func render(_ message: Message, from: String, now: Date) -> String {
        let date = DateFormatter()
        date.locale = Locale(identifier: "en_US_POSIX"); date.timeZone = TimeZone(identifier: "UTC")
        date.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        let subject = message.subject.allSatisfy(\.isASCII) ? message.subject : "=?UTF-8?B?\(Data(message.subject.utf8).base64EncodedString())?="
        let body = Data(message.body.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        return [
            "From: Lantern <\(from)>", "To: <\(message.to)>", "Subject: \(subject)", "Date: \(date.string(from: now))",
            "Message-ID: <\(message.messageID)>", "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: base64",
            "", body, "",
        ].joined(separator: "\r\n")
    }

    /// Reads whole replies (the last line of a multi-line reply has a space after its code).
    struct Replies {
        var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
        var pending = ""
        init(_ iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator) { self.iterator = iterator }

        mutating func next() async throws -> String {
            var lines: [String] = []
            while true {
                while let range = pending.range(of: "\r\n") {
                    let line = String(pending[..<range.lowerBound])
                    pending.removeSubrange(..<range.upperBound)
                    lines.append(line)
                    let chars = Array(line)
                    if chars.count < 4 || chars[3] == " " { return lines.joined(separator: "\n") }
                }
                guard var buffer = try await iterator.next() else { return lines.joined(separator: "\n") }
                pending += buffer.readString(length: buffer.readableBytes) ?? ""
            }
        }
    }
}
