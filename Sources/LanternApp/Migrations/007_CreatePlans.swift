import Fluent

struct CreatePlans: AsyncMigration {
    var name: String { "007 create plans and plan sections" }

    func prepare(on db: any Database) async throws {
        try await db.schema(Plan.schema)
            .id()
            .field("person_id", .uuid, .required, .references(Person.schema, .id))
            .field("plan_type", .string, .required)
            .field("plan_kind", .string, .required)
            .field("status", .string, .required)
            .field("meeting_date", .string)
            .field("effective_start", .string)
            .field("effective_end", .string)
            .field("implementation_date", .string)
            .field("next_review_date", .string)
            .field("planning_language", .string)
            .field("series_id", .uuid, .required)
            .field("version_number", .int, .required)
            .field("previous_plan_id", .uuid, .references(Plan.schema, .id))
            .field("frozen_at", .datetime)
            .field("created_by_id", .uuid, .required, .references(User.schema, .id))
            .field("version", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        // A person's plans are listed newest first; a series is read as a whole.
        try await db.createIndex("plans_person", on: Plan.schema, "person_id", "created_at")
        try await db.createIndex("plans_series", on: Plan.schema, "series_id", "version_number", unique: true)
        try await db.createIndex("plans_status", on: Plan.schema, "status", "plan_type")

        try await db.schema(PlanSection.schema)
            .id()
            .field("plan_id", .uuid, .required, .references(Plan.schema, .id))
            .field("section_key", .string, .required)
            .field("content", .string, .required)
            .field("version", .int, .required)
            .field("updated_by_id", .uuid, .references(User.schema, .id))
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await db.createIndex("plan_sections_plan_key", on: PlanSection.schema, "plan_id", "section_key", unique: true)
    }

    func revert(on db: any Database) async throws {
        try await db.schema(PlanSection.schema).delete()
        try await db.schema(Plan.schema).delete()
    }
}
