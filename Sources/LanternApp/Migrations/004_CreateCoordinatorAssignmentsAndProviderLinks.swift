import Fluent

struct CreateCoordinatorAssignmentsAndProviderLinks: AsyncMigration {
    var name: String { "004 create coordinator assignments and provider links" }

    func prepare(on db: any Database) async throws {
        try await db.schema(CoordinatorAssignment.schema)
            .id()
            .field("person_id", .uuid, .required, .references(Person.schema, .id))
            .field("coordinator_id", .uuid, .required, .references(User.schema, .id))
            .field("starts_on", .string, .required)
            .field("ends_on", .string)
            .field("reason", .string, .required)
            .field("assigned_by_id", .uuid, .references(User.schema, .id))
            .field("created_at", .datetime)
            .create()
        try await db.createIndex("coordinator_assignments_person", on: CoordinatorAssignment.schema, "person_id", "starts_on")
        try await db.schema(ProviderLink.schema)
            .id()
            .field("person_id", .uuid, .required, .references(Person.schema, .id))
            .field("organization_id", .uuid, .required, .references(Organization.schema, .id))
            .field("since", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "person_id", "organization_id")
            .create()
        try await db.createIndex("provider_links_organization", on: ProviderLink.schema, "organization_id", "person_id")
    }

    func revert(on db: any Database) async throws {
        try await db.schema(ProviderLink.schema).delete()
        try await db.schema(CoordinatorAssignment.schema).delete()
    }
}
