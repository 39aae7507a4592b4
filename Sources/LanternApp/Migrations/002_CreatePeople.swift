import Fluent

struct CreatePeople: AsyncMigration {
    var name: String { "002 create people" }

    func prepare(on db: any Database) async throws {
        try await db.schema(Person.schema)
            .id()
            .field("legal_given_name", .string, .required)
            .field("legal_family_name", .string, .required)
            .field("preferred_name", .string)
            .field("birth_date", .string, .required)
            .field("pronouns", .string)
            .field("primary_language", .string, .required)
            .field("interpreter_needed", .bool, .required)
            .field("communication_methods", .array(of: .string), .required)
            .field("communication_profile", .string)
            .field("residence_type", .string, .required)
            .field("legal_status", .string, .required)
            .field("court_restrictions", .string)
            .field("state_id", .string)
            .field("medicaid_id", .string)
            .field("medicare_id", .string)
            .field("insurance", .string)
            .field("address_line", .string)
            .field("city", .string)
            .field("region", .string)
            .field("postal_code", .string)
            .field("county", .string)
            .field("status", .string, .required)
            .field("exit_date", .string)
            .field("exit_reason", .string)
            .field("current_coordinator_id", .uuid, .references(User.schema, .id))
            .field("sort_name", .string, .required)
            .field("search_text", .string, .required)
            .field("version", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        // What lists filter and order on.
        try await db.createIndex("people_coordinator_sort", on: Person.schema, "current_coordinator_id", "sort_name")
        try await db.createIndex("people_sort", on: Person.schema, "sort_name", "id")
        try await db.createIndex("people_status", on: Person.schema, "status")
        try await db.createIndex("people_birth_date", on: Person.schema, "birth_date")
    }

    func revert(on db: any Database) async throws {
        try await db.schema(Person.schema).delete()
    }
}
