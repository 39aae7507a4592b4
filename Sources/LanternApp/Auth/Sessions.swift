import Fluent
import Vapor

/// Browser sessions stored in the database: a new random id at every sign-in, a 30-minute idle
/// time-out and a 12-hour absolute one, and sign-out that ends the session on the server.
enum Sessions {
    static let cookieName = "lantern_session"
    static let idleTimeout: TimeInterval = 30 * 60
    static let absoluteTimeout: TimeInterval = 12 * 60 * 60
    /// last_seen_at is written at most this often, to keep reads from becoming writes.
    static let touchInterval: TimeInterval = 60

    enum SignInResult { case signedIn(cookieValue: String, user: User), refused(String), wait(until: Date) }

    /// Checks the password and, when it matches, starts a session. Every outcome is audited.
    static func signIn(email rawEmail: String, password: String, req: Request) async throws -> SignInResult {
        let email = rawEmail.trimmingCharacters(in: .whitespaces).lowercased()
        let now = req.now
        let source = req.sourceAddress
        @Sendable func event(_ action: AuditAction, _ outcome: AuditOutcome, user: User?, detail: String) -> AuditEvent {
            AuditEvent(userID: user?.id?.text, userLabel: email, personID: nil, action: action, category: .session,
                       outcome: outcome, sourceAddress: source, detail: detail)
        }
        let refusal = "That email and password do not match an account. Check them and try again."
        guard !email.isEmpty, !password.isEmpty, password.count <= PasswordPolicy.maximumLength else { return .refused(refusal) }

        // Decide and count the attempt in one locked transaction, before the slow password check, so
        // that tries sent in parallel see each other. A try that succeeds removes its mark.
        let attempt = SignInFailure(email: email, at: now)
        let waitUntil: Date? = try await SQLiteWriteGate.write(on: req.db) { try await req.db.transaction { tx in
            let head = try await AuditChain.lock(tx, at: now)
            if case let .wait(until) = try await SignInThrottle.decide(email: email, on: tx, now: now) {
                try await AuditChain.append([event(.signInFailed, .denied, user: nil, detail: "refused: too many failed sign-ins")], after: head, at: now, on: tx)
                return until
            }
            try await attempt.create(on: tx)
            return nil
        } }
        if let waitUntil { return .wait(until: waitUntil) }

        let user = try await User.query(on: req.db).filter(\.$email == email).first()
        let hash = user?.passwordHash ?? PasswordPolicy.decoyHash
        let matches = try await req.application.threadPool.runIfActive { (try? Bcrypt.verify(password, created: hash)) ?? false }
        guard let user, matches, user.isActive else {
            try await AuditChain.record([event(.signInFailed, .failure, user: user, detail: user == nil ? "no such account" : (user!.isActive ? "wrong password" : "account inactive"))],
                                        on: req.db, at: now)
            return .refused(refusal)
        }
        let cookieValue = Secrets.random()
        let session = UserSession()
        session.id = UUID(); session.tokenHash = Secrets.sha256(cookieValue); session.$user.id = try user.requireID()
        session.csrfToken = Secrets.random(); session.createdAt = now; session.lastSeenAt = now
        try await SQLiteWriteGate.write(on: req.db) { try await req.db.transaction { tx in
            let head = try await AuditChain.lock(tx, at: now)
            try await session.create(on: tx)
            try await SignInThrottle.clear(email: email, on: tx)
            try await AuditChain.append([event(.signIn, .success, user: user, detail: "session started")], after: head, at: now, on: tx)
        } }
        return .signedIn(cookieValue: cookieValue, user: user)
    }

    static func signOut(req: Request) async throws {
        guard let actor = req.actor, case let .session(id, _) = actor.channel else { return }
        try await end(sessionID: id, userID: actor.userID, label: actor.email, reason: "session ended", req: req)
    }

    /// Ends a session and audits it in one transaction (sign-out, or a time-out found on the next request).
    static func end(sessionID: UUID, userID: UUID, label: String, reason: String, req: Request) async throws {
        let now = req.now, source = req.sourceAddress
        try await SQLiteWriteGate.write(on: req.db) { try await req.db.transaction { tx in
            let head = try await AuditChain.lock(tx, at: now)
            try await UserSession.query(on: tx).filter(\.$id == sessionID).set(\.$endedAt, to: now).update()
            try await AuditChain.append([AuditEvent(userID: userID.text, userLabel: label, personID: nil, action: .signOut,
                                                    category: .session, sourceAddress: source, detail: reason)], after: head, at: now, on: tx)
        } }
    }

    static func cookie(_ value: String, req: Request, expires: Bool = false) -> HTTPCookies.Value {
        HTTPCookies.Value(string: value, expires: expires ? Date(timeIntervalSince1970: 0) : nil, maxAge: expires ? 0 : nil, path: "/",
                          isSecure: req.application.lantern.secureCookies, isHTTPOnly: true, sameSite: .lax)
    }
}

/// Finds the signed-in user from the session cookie, enforcing both time-outs.
struct SessionAuthenticator: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let value = req.cookies[Sessions.cookieName]?.string, !value.isEmpty {
            let now = req.now
            // With its account in one query (a join, not an eager load's second query): every request reads it.
            if let session = try await UserSession.query(on: req.db).join(User.self, on: \UserSession.$user.$id == \User.$id)
                .filter(\.$tokenHash == Secrets.sha256(value)).filter(\.$endedAt == nil).first() {
                session.$user.value = try session.joined(User.self)
                let idle = now.timeIntervalSince(session.lastSeenAt) > Sessions.idleTimeout
                let expired = now.timeIntervalSince(session.createdAt) > Sessions.absoluteTimeout
                if idle || expired || !session.user.isActive {
                    let reason = idle ? "idle time-out (30 minutes)" : expired ? "absolute time-out (12 hours)" : "account inactive"
                    try await Sessions.end(sessionID: session.id!, userID: session.$user.id, label: session.user.email, reason: reason, req: req)
                    req.storage[SessionExpiredKey.self] = true
                } else {
                    if now.timeIntervalSince(session.lastSeenAt) > Sessions.touchInterval {
                        session.lastSeenAt = now
                        try await session.save(on: req.db)
                    }
                    req.actor = try Actor(user: session.user, channel: .session(id: session.id!, csrfToken: session.csrfToken))
                }
            }
        }
        return try await next.respond(to: req)
    }
}

struct SessionExpiredKey: StorageKey { typealias Value = Bool }

/// Finds the user from a personal access token in `Authorization: Bearer`.
struct TokenAuthenticator: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let bearer = req.headers.bearerAuthorization {
            let now = req.now
            let found = try await AccessToken.query(on: req.db).join(User.self, on: \AccessToken.$user.$id == \User.$id)
                .filter(\.$tokenHash == Secrets.sha256(bearer.token)).first()
            try found.map { $0.$user.value = try $0.joined(User.self) }
            guard let token = found, token.revokedAt == nil, token.expiresAt.map({ $0 > now }) ?? true, token.user.isActive else {
                throw Problem(.unauthorized, "Token not accepted",
                              detail: "This token is unknown, revoked or expired. Make a new one on the Tokens page.",
                              headers: ["WWW-Authenticate": "Bearer realm=\"lantern\", error=\"invalid_token\""])
            }
            if token.lastUsedAt.map({ now.timeIntervalSince($0) > Sessions.touchInterval }) ?? true {
                token.lastUsedAt = now
                try await token.save(on: req.db)
            }
            req.actor = try Actor(user: token.user, channel: .token(id: token.id!))
        }
        return try await next.respond(to: req)
    }
}
