import Fluent

struct CreateSessionsTokensAndSignInFailures: AsyncMigration {
    var name: String { "005 create sessions, access tokens and sign-in failures" }

    func prepare(on db: any Database) async throws {
        try await db.schema(UserSession.schema)
            .id()
            .field("token_hash", .string, .required)
            .field("user_id", .uuid, .required, .references(User.schema, .id))
            .field("csrf_token", .string, .required)
            .field("created_at", .datetime, .required)
            .field("last_seen_at", .datetime, .required)
            .field("ended_at", .datetime)
            .unique(on: "token_hash")
            .create()
        try await db.createIndex("sessions_user", on: UserSession.schema, "user_id")
        try await db.schema(AccessToken.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, .id))
            .field("name", .string, .required)
            .field("token_hash", .string, .required)
            .field("prefix", .string, .required)
            .field("created_at", .datetime, .required)
            .field("last_used_at", .datetime)
            .field("expires_at", .datetime)
            .field("revoked_at", .datetime)
            .unique(on: "token_hash")
            .create()
        try await db.createIndex("access_tokens_user", on: AccessToken.schema, "user_id")
        try await db.schema(SignInFailure.schema)
            .id()
            .field("email", .string, .required)
            .field("at", .datetime, .required)
            .create()
        try await db.createIndex("sign_in_failures_email_at", on: SignInFailure.schema, "email", "at")
    }

    func revert(on db: any Database) async throws {
        try await db.schema(SignInFailure.schema).delete()
        try await db.schema(AccessToken.schema).delete()
        try await db.schema(UserSession.schema).delete()
    }
}
