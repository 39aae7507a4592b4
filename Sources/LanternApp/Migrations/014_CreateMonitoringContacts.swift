import Fluent

/// How often each person's coordinator is in contact with them, and the contacts themselves.
struct CreateMonitoringContacts: AsyncMigration {
    var name: String { "014 contact frequency and monitoring contacts" }

    func prepare(on db: any Database) async throws {
        try await db.schema(Person.schema).field("contact_frequency", .string).update()
        try await db.schema(MonitoringContact.schema)
            .id()
            .field("person_id", .uuid, .required, .references(Person.schema, .id))
            .field("contact_on", .string, .required)
            .field("kind", .string, .required)
            .field("findings", .string, .required)
            .field("follow_up", .string)
            .field("recorded_by_id", .uuid, .required, .references(User.schema, .id))
            .field("created_at", .datetime)
            .create()
        try await db.createIndex("monitoring_contacts_person", on: MonitoringContact.schema, "person_id", "contact_on")
    }

    func revert(on db: any Database) async throws {
        try await db.schema(MonitoringContact.schema).delete()
        try await db.schema(Person.schema).deleteField("contact_frequency").update()
    }
}
