import Fluent

/// Delivery of the outbox by SMTP: a row is claimed for a while before it is sent, so that two
/// instances do not send it both, and a failed one waits longer before each new try.
struct AddOutboxDelivery: AsyncMigration {
    var name: String { "016 outbox delivery: claims and retries" }

    func prepare(on db: any Database) async throws {
        try await db.schema(OutboxEmail.schema).field("claimed_until", .datetime).update()
        try await db.schema(OutboxEmail.schema).field("next_attempt_at", .datetime).update()
        try await db.createIndex("outbox_emails_unsent", on: OutboxEmail.schema, "sent_at", "next_attempt_at")
    }

    func revert(on db: any Database) async throws {
        try await db.schema(OutboxEmail.schema).deleteField("next_attempt_at").update()
        try await db.schema(OutboxEmail.schema).deleteField("claimed_until").update()
    }
}
