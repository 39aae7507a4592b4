import Fluent

/// Progress on outcomes lives outside the frozen plan versions, keyed by the outcome's and step's own
/// ids, so it carries across every version that keeps them.
struct CreateProgress: AsyncMigration {
    var name: String { "010 progress entries, outcome reviews and the person's own view" }

    func prepare(on db: any Database) async throws {
        try await db.schema(ProgressEntry.schema)
            .id()
            .field("person_id", .uuid, .required, .references(Person.schema, .id))
            .field("outcome_id", .string, .required)
            .field("step_id", .string, .required)
            .field("plan_id", .uuid, .required, .references(Plan.schema, .id))
            .field("entry_date", .string, .required)
            .field("value", .double)
            .field("note", .string)
            .field("recorded_by_id", .uuid, .required, .references(User.schema, .id))
            .field("organization_id", .uuid, .references(Organization.schema, .id))
            .field("source", .string, .required)
            .field("external_id", .string)
            .field("withdrawn_at", .datetime)
            .field("withdrawn_reason", .string)
            .field("withdrawn_by_id", .uuid, .references(User.schema, .id))
            .field("created_at", .datetime)
            .create()
        // The outcome page reads a step's entries in date order; the summary and flags read a person's.
        try await db.createIndex("progress_entries_step", on: ProgressEntry.schema, "person_id", "step_id", "entry_date")
        try await db.createIndex("progress_entries_outcome", on: ProgressEntry.schema, "person_id", "outcome_id", "entry_date")
        // A provider system that sends the same entry twice (a retry) gets "already recorded", not a copy.
        try await db.createIndex("progress_entries_external", on: ProgressEntry.schema, "organization_id", "external_id", unique: true)
        try await db.schema(OutcomeReview.schema)
            .id()
            .field("person_id", .uuid, .required, .references(Person.schema, .id))
            .field("outcome_id", .string, .required)
            .field("plan_id", .uuid, .required, .references(Plan.schema, .id))
            .field("reviewed_on", .string, .required)
            .field("working", .string, .required)
            .field("not_working", .string, .required)
            .field("next_steps", .string, .required)
            .field("recorded_by_id", .uuid, .required, .references(User.schema, .id))
            .field("created_at", .datetime)
            .create()
        try await db.createIndex("outcome_reviews_outcome", on: OutcomeReview.schema, "person_id", "outcome_id", "reviewed_on")
        try await db.schema(OutcomeSelfView.schema)
            .id()
            .field("person_id", .uuid, .required, .references(Person.schema, .id))
            .field("outcome_id", .string, .required)
            .field("said_on", .string, .required)
            .field("feeling", .string, .required)
            .field("comment", .string)
            .field("helped_by", .string)
            .field("recorded_by_id", .uuid, .required, .references(User.schema, .id))
            .field("created_at", .datetime)
            .create()
        try await db.createIndex("outcome_self_views_outcome", on: OutcomeSelfView.schema, "person_id", "outcome_id", "said_on")
    }

    func revert(on db: any Database) async throws {
        try await db.schema(OutcomeSelfView.schema).delete()
        try await db.schema(OutcomeReview.schema).delete()
        try await db.schema(ProgressEntry.schema).delete()
    }
}
