import Fluent

/// Caseload weights and limits, and documented exceptions to the conflict-of-interest rule.
struct CreateCaseloadsAndConflicts: AsyncMigration {
    var name: String { "012 person intensity, coordinator caseload limits, over-limit reasons and conflict-of-interest exceptions" }

    func prepare(on db: any Database) async throws {
        try await db.schema(Person.schema).field("intensity", .string).update()
        try await db.schema(User.schema).field("caseload_limit", .double).update()
        try await db.schema(CoordinatorAssignment.schema).field("over_limit_reason", .string).update()
        try await db.schema(ConflictException.schema)
            .id()
            .field("person_id", .uuid, .required, .references(Person.schema, .id))
            .field("organization_id", .uuid, .required, .references(Organization.schema, .id))
            .field("coordinator_id", .uuid, .required, .references(User.schema, .id))
            .field("reason", .string, .required)
            .field("firewall", .string, .required)
            .field("recorded_by_id", .uuid, .required, .references(User.schema, .id))
            .field("recorded_on", .string, .required)
            .field("ended_on", .string)
            .field("created_at", .datetime)
            .create()
        try await db.createIndex("conflict_exceptions_person", on: ConflictException.schema, "person_id", "organization_id")
    }

    func revert(on db: any Database) async throws {
        try await db.schema(ConflictException.schema).delete()
        try await db.schema(CoordinatorAssignment.schema).deleteField("over_limit_reason").update()
        try await db.schema(User.schema).deleteField("caseload_limit").update()
        try await db.schema(Person.schema).deleteField("intensity").update()
    }
}
