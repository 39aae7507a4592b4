import Fluent

struct CreateOrganizationsAndUsers: AsyncMigration {
    var name: String { "001 create organizations and users" }

    func prepare(on db: any Database) async throws {
        try await db.schema(Organization.schema)
            .id()
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("created_at", .datetime)
            .create()
        try await db.schema(User.schema)
            .id()
            .field("email", .string, .required)
            .field("display_name", .string, .required)
            .field("role", .string, .required)
            .field("organization_id", .uuid, .references(Organization.schema, .id))
            .field("supervisor_id", .uuid, .references(User.schema, .id))
            .field("person_id", .uuid)
            .field("password_hash", .string, .required)
            .field("is_active", .bool, .required)
            .field("version", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "email")
            .create()
        try await db.createIndex("users_supervisor", on: User.schema, "supervisor_id")
        try await db.createIndex("users_organization", on: User.schema, "organization_id")
    }

    func revert(on db: any Database) async throws {
        try await db.schema(User.schema).delete()
        try await db.schema(Organization.schema).delete()
    }
}
