import Fluent
import Vapor

/// Personal access tokens for the API, made and revoked by their owner on the Tokens page.
enum Tokens {
    static let prefix = "lnt_"

    /// Makes a token and returns its secret, which is shown once and never stored.
    static func create(name: String, expiresInDays: Int?, actor: Actor, req: Request) async throws -> (AccessToken, String) {
        let secret = prefix + Secrets.random()
        let token = AccessToken()
        token.id = UUID(); token.$user.id = actor.userID; token.name = name; token.tokenHash = Secrets.sha256(secret)
        token.prefix = String(secret.prefix(prefix.count + 6)); token.createdAt = req.now
        token.expiresAt = expiresInDays.map { req.now.addingTimeInterval(Double($0) * 86_400) }
        let source = req.sourceAddress
        try await req.auditedTransaction { db, log in
            try await token.create(on: db)
            log.add(AuditEvent(userID: actor.userID.text, userLabel: actor.email, personID: nil, action: .tokenCreate, category: .token,
                               sourceAddress: source, detail: "token \(token.id!.text) \(token.prefix)…"))
        }
        return (token, secret)
    }

    static func revoke(_ id: UUID, actor: Actor, req: Request) async throws {
        let now = req.now, source = req.sourceAddress
        try await req.auditedTransaction { db, log in
            guard let token = try await AccessToken.query(on: db).filter(\.$id == id).filter(\.$user.$id == actor.userID).first() else {
                throw Problem.notFound("token")
            }
            if token.revokedAt == nil {
                token.revokedAt = now
                try await token.save(on: db)
                log.add(AuditEvent(userID: actor.userID.text, userLabel: actor.email, personID: nil, action: .tokenRevoke, category: .token,
                                   sourceAddress: source, detail: "token \(id.text) revoked"))
            }
        }
    }
}
