import Fluent

struct CreatePlanDistributionAndRequests: AsyncMigration {
    var name: String { "009 plan copies, review requests, profile translations; viewed and ended" }

    func prepare(on db: any Database) async throws {
        try await db.schema(PlanSignature.schema).field("viewed_at", .datetime).update()
        try await db.schema(Plan.schema).field("ended_on", .string).update()
        try await db.schema(Plan.schema).field("end_reason", .string).update()
        try await db.schema(PlanDistribution.schema)
            .id()
            .field("plan_id", .uuid, .required, .references(Plan.schema, .id))
            .field("recipient_name", .string, .required)
            .field("recipient_role", .string, .required)
            .field("method", .string, .required)
            .field("sent_on", .string, .required)
            .field("includes_budget", .bool, .required)
            .field("purpose", .string)
            .field("recorded_by_id", .uuid, .required, .references(User.schema, .id))
            .field("created_at", .datetime)
            .create()
        try await db.createIndex("plan_distributions_plan", on: PlanDistribution.schema, "plan_id")
        try await db.schema(ReviewRequest.schema)
            .id()
            .field("plan_id", .uuid, .required, .references(Plan.schema, .id))
            .field("person_id", .uuid, .required, .references(Person.schema, .id))
            .field("requested_by", .string, .required)
            .field("requested_by_role", .string, .required)
            .field("requested_on", .string, .required)
            .field("reason", .string)
            .field("due_on", .string, .required)
            .field("due_citation", .string, .required)
            .field("status", .string, .required)
            .field("answered_by_plan_id", .uuid, .references(Plan.schema, .id))
            .field("recorded_by_id", .uuid, .required, .references(User.schema, .id))
            .field("created_at", .datetime)
            .create()
        // Coordinators' "due" lists filter open requests by person and due date.
        try await db.createIndex("plan_review_requests_person", on: ReviewRequest.schema, "person_id", "status", "due_on")
        try await db.createIndex("plan_review_requests_plan", on: ReviewRequest.schema, "plan_id")
        try await db.schema(ProfileTranslation.schema)
            .id()
            .field("person_id", .uuid, .required, .references(Person.schema, .id))
            .field("language", .string, .required)
            .field("source_digest", .string, .required)
            .field("translated_text", .string, .required)
            .field("translated_by", .string)
            .field("recorded_by_id", .uuid, .required, .references(User.schema, .id))
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "person_id", "language", "source_digest")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema(ProfileTranslation.schema).delete()
        try await db.schema(ReviewRequest.schema).delete()
        try await db.schema(PlanDistribution.schema).delete()
        try await db.schema(Plan.schema).deleteField("end_reason").update()
        try await db.schema(Plan.schema).deleteField("ended_on").update()
        try await db.schema(PlanSignature.schema).deleteField("viewed_at").update()
    }
}
