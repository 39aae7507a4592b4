import Fluent

/// Coordinators' tasks (each made once, by its key, however many instances compute it) and the
/// outbox of reminder emails.
struct CreateTasksAndOutbox: AsyncMigration {
    var name: String { "013 coordination tasks and the email outbox" }

    func prepare(on db: any Database) async throws {
        try await db.schema(CoordinationTask.schema)
            .id()
            .field("person_id", .uuid, .required, .references(Person.schema, .id))
            .field("assignee_id", .uuid, .references(User.schema, .id))
            .field("kind", .string, .required)
            .field("title", .string, .required)
            .field("due_on", .string, .required)
            .field("show_from", .string, .required)
            .field("citation", .string, .required)
            .field("source_key", .string, .required)
            .field("status", .string, .required)
            .field("closed_on", .string)
            .field("closed_by_id", .uuid, .references(User.schema, .id))
            .field("note", .string)
            .field("created_at", .datetime)
            .unique(on: "source_key")
            .create()
        try await db.createIndex("tasks_person", on: CoordinationTask.schema, "person_id", "status", "due_on")
        try await db.createIndex("tasks_status_due", on: CoordinationTask.schema, "status", "due_on")
        try await db.schema(OutboxEmail.schema)
            .id()
            .field("to_address", .string, .required)
            .field("subject", .string, .required)
            .field("body", .string, .required)
            .field("source_key", .string, .required)
            .field("sent_at", .datetime)
            .field("attempts", .int, .required)
            .field("last_error", .string)
            .field("created_at", .datetime)
            .unique(on: "source_key")
            .create()
        try await db.createIndex("outbox_unsent", on: OutboxEmail.schema, "sent_at", "created_at")
    }

    func revert(on db: any Database) async throws {
        try await db.schema(OutboxEmail.schema).delete()
        try await db.schema(CoordinationTask.schema).delete()
    }
}
