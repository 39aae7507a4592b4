import Fluent
import Foundation

/// A signed-in browser session. Only the SHA-256 of the cookie value is stored.
public final class UserSession: Model, @unchecked Sendable {
    public static let schema = "sessions"
    @ID(key: .id) public var id: UUID?
    @Field(key: "token_hash") public var tokenHash: String
    @Parent(key: "user_id") public var user: User
    @Field(key: "csrf_token") public var csrfToken: String
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "last_seen_at") public var lastSeenAt: Date
    @OptionalField(key: "ended_at") public var endedAt: Date?
    // Written out, not reflected: see `StoredModels`.
    public var properties: [any AnyProperty] { [_id, _tokenHash, _user, _csrfToken, _createdAt, _lastSeenAt, _endedAt] }
    public init() {}
}

/// A personal access token for the API. Only its SHA-256 is stored; the user sees it once.
public final class AccessToken: Model, @unchecked Sendable {
    public static let schema = "access_tokens"
    @ID(key: .id) public var id: UUID?
    @Parent(key: "user_id") public var user: User
    @Field(key: "name") public var name: String
    @Field(key: "token_hash") public var tokenHash: String
    @Field(key: "prefix") public var prefix: String
    @Field(key: "created_at") public var createdAt: Date
    @OptionalField(key: "last_used_at") public var lastUsedAt: Date?
    @OptionalField(key: "expires_at") public var expiresAt: Date?
    @OptionalField(key: "revoked_at") public var revokedAt: Date?
    // Written out, not reflected: see `StoredModels`.
    public var properties: [any AnyProperty] { [_id, _user, _name, _tokenHash, _prefix, _createdAt, _lastUsedAt, _expiresAt, _revokedAt] }
    public init() {}
}

/// One failed sign-in, kept so that repeated failures for an account are slowed and then refused,
/// across every Lantern instance that shares the database.
public final class SignInFailure: Model, @unchecked Sendable {
    public static let schema = "sign_in_failures"
    @ID(key: .id) public var id: UUID?
    @Field(key: "email") public var email: String
    @Field(key: "at") public var at: Date
    // Written out, not reflected: see `StoredModels`.
    public var properties: [any AnyProperty] { [_id, _email, _at] }
    public init() {}
    public init(email: String, at: Date) { self.email = email; self.at = at }
}
