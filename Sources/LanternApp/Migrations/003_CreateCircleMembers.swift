import Fluent

struct CreateCircleMembers: AsyncMigration {
    var name: String { "003 create circle members" }

    func prepare(on db: any Database) async throws {
        try await db.schema(CircleMember.schema)
            .id()
            .field("person_id", .uuid, .required, .references(Person.schema, .id))
            .field("name", .string, .required)
            .field("relationship", .string, .required)
            .field("is_paid", .bool, .required)
            .field("chosen_by_person", .bool, .required)
            .field("has_legal_authority", .bool, .required)
            .field("authority_scope", .string)
            .field("phone", .string)
            .field("email", .string)
            .field("address", .string)
            .field("receives_plan_copy", .bool, .required)
            .field("user_id", .uuid, .references(User.schema, .id))
            .field("version", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await db.createIndex("circle_members_person", on: CircleMember.schema, "person_id")
        try await db.createIndex("circle_members_user", on: CircleMember.schema, "user_id", "person_id")
    }

    func revert(on db: any Database) async throws {
        try await db.schema(CircleMember.schema).delete()
    }
}
