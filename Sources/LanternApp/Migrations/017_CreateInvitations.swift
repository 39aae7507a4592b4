import Fluent

/// Invitations for the person and their family to make their own account, and each account's language.
struct CreateInvitations: AsyncMigration {
    var name: String { "017 invitations and the language of each account" }

    func prepare(on db: any Database) async throws {
        try await db.schema(User.schema).field("language", .string).update()
        try await db.schema(Invitation.schema)
            .id()
            .field("token_hash", .string, .required)
            .field("person_id", .uuid, .required, .references(Person.schema, .id))
            .field("circle_member_id", .uuid, .references(CircleMember.schema, .id))
            .field("role", .string, .required)
            .field("email", .string, .required)
            .field("display_name", .string, .required)
            .field("language", .string, .required)
            .field("expires_at", .datetime, .required)
            .field("accepted_at", .datetime)
            .field("withdrawn_at", .datetime)
            .field("user_id", .uuid, .references(User.schema, .id))
            .field("invited_by_id", .uuid, .required, .references(User.schema, .id))
            .field("created_at", .datetime)
            .unique(on: "token_hash")
            .create()
        try await db.createIndex("invitations_person", on: Invitation.schema, "person_id")
    }

    func revert(on db: any Database) async throws {
        try await db.schema(Invitation.schema).delete()
        try await db.schema(User.schema).deleteField("language").update()
    }
}
