import Fluent

/// What the person shares with each family member who has an account, and the service a request for
/// a change is about.
struct AddFamilySharingAndServiceChanges: AsyncMigration {
    var name: String { "018 family sharing and requests to change a service" }

    func prepare(on db: any Database) async throws {
        // A comma-separated list of `SharedArea` values; none until the person (or guardian) chooses.
        try await db.schema(CircleMember.schema).field("shared_areas", .string).update()
        try await db.schema(ReviewRequest.schema).field("about_service", .string).update()
    }

    func revert(on db: any Database) async throws {
        try await db.schema(ReviewRequest.schema).deleteField("about_service").update()
        try await db.schema(CircleMember.schema).deleteField("shared_areas").update()
    }
}
