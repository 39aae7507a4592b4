import Fluent

struct CreateAuditTrail: AsyncMigration {
    var name: String { "006 create audit trail" }

    func prepare(on db: any Database) async throws {
        try await db.schema(AuditEntry.schema)
            .field("seq", .int, .identifier(auto: false))
            .field("at_ms", .int64, .required)
            .field("user_id", .string)
            .field("user_label", .string)
            .field("person_id", .string)
            .field("action", .string, .required)
            .field("category", .string, .required)
            .field("source_address", .string)
            .field("outcome", .string, .required)
            .field("detail", .string, .required)
            .field("prev_hash", .string, .required)
            .field("hash", .string, .required)
            .create()
        try await db.createIndex("audit_entries_person", on: AuditEntry.schema, "person_id", "seq")
        try await db.createIndex("audit_entries_user", on: AuditEntry.schema, "user_id", "seq")
        try await db.createIndex("audit_entries_at", on: AuditEntry.schema, "at_ms")
        try await db.schema(AuditChainHead.schema)
            .field("id", .int, .identifier(auto: false))
            .field("last_seq", .int, .required)
            .field("last_hash", .string, .required)
            .field("touched_at", .int64, .required)
            .create()
        let head = AuditChainHead()
        head.id = 1; head.lastSeq = 0; head.lastHash = AuditChain.genesisHash; head.touchedAt = 0
        try await head.create(on: db)
    }

    func revert(on db: any Database) async throws {
        try await db.schema(AuditChainHead.schema).delete()
        try await db.schema(AuditEntry.schema).delete()
    }
}
