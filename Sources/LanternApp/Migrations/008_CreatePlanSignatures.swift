import Fluent

struct CreatePlanSignatures: AsyncMigration {
    var name: String { "008 create plan signatures; plan digest and change reason" }

    func prepare(on db: any Database) async throws {
        try await db.schema(Plan.schema)
            .field("content_digest", .string)
            .update()
        try await db.schema(Plan.schema)
            .field("change_reason", .string)
            .update()
        try await db.schema(PlanSignature.schema)
            .id()
            .field("plan_id", .uuid, .required, .references(Plan.schema, .id))
            .field("role", .string, .required)
            .field("signer_name", .string, .required)
            .field("circle_member_id", .uuid)
            .field("user_id", .uuid, .references(User.schema, .id))
            .field("organization_id", .uuid, .references(Organization.schema, .id))
            .field("required", .bool, .required)
            .field("reason", .string, .required)
            .field("citation", .string, .required)
            .field("status", .string, .required)
            .field("on_behalf_of", .string)
            .field("method", .string)
            .field("signed_at", .datetime)
            .field("had_support", .bool)
            .field("support_by", .string)
            .field("digest", .string)
            .field("decline_reason", .string)
            .field("recorded_by_id", .uuid, .references(User.schema, .id))
            .field("version", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await db.createIndex("plan_signatures_plan", on: PlanSignature.schema, "plan_id")
        try await db.createIndex("plan_signatures_user", on: PlanSignature.schema, "user_id", "status")
    }

    func revert(on db: any Database) async throws {
        try await db.schema(PlanSignature.schema).delete()
        try await db.schema(Plan.schema).deleteField("change_reason").update()
        try await db.schema(Plan.schema).deleteField("content_digest").update()
    }
}
